/**
 * 对公户绑定: the platform binds an enterprise member's corporate account; a small deposit verifies
 * it (workflows/corporate-account) and the enterprise's answer, entered here, binds it.
 */
import { randomUUID } from 'node:crypto';
import { BusinessError } from '../../domain/errors';
import {
  CORPORATE_ACCOUNT_STAGE_LABELS,
  type CorporateAccountStage,
  DEPOSIT_CONFIRM_HOURS,
  DEPOSIT_TRIES,
  sameAccountName,
} from '../../domain/corporate-accounts';
import { maskCardNumber } from '../../domain/masking';
import { corporateAccountWorkflowId } from '../../workflows/ids';
import { confirmDepositUpdate, corporateAccountWorkflow } from '../../workflows/corporate-account/messages';
import { auditOf } from '../audit';
import { type Actor, type AppDeps, applicationScope } from '../context';
import { runUpdate, startFlow } from '../workflow-calls';
import type { BindCorporateAccountInput } from './schemas';

async function enterpriseOf(deps: AppDeps, actor: Actor, memberId: string) {
  const member = await deps.services.prisma.member.findFirst({
    where: { id: memberId, applicationId: applicationScope(actor) },
    include: { application: { select: { appNo: true } } },
  });
  if (!member) throw new BusinessError('member.not_found');
  return member;
}

function viewOf(v: {
  id: string;
  accountNoMasked: string;
  bankName: string;
  accountName: string;
  status: CorporateAccountStage;
  triesLeft: number;
  confirmBy: Date | null;
  failureReason: string | null;
  createdAt: Date;
}) {
  return {
    id: v.id,
    accountNo: v.accountNoMasked,
    bankName: v.bankName,
    accountName: v.accountName,
    status: v.status,
    statusLabel: CORPORATE_ACCOUNT_STAGE_LABELS[v.status],
    triesLeft: v.triesLeft,
    confirmBy: v.confirmBy?.toISOString() ?? null,
    failureReason: v.failureReason,
    createdAt: v.createdAt.toISOString(),
  };
}

/** 绑定对公户: the company's own account only, one verification of it at a time. */
export async function bindCorporateAccount(deps: AppDeps, actor: Actor, input: BindCorporateAccountInput) {
  const { prisma, crypto } = deps.services;
  const member = await enterpriseOf(deps, actor, input.memberId);
  if (member.type !== 'ENTERPRISE') throw new BusinessError('corporate_account.not_enterprise');
  if (!member.realNameVerifiedAt || !member.companyName) throw new BusinessError('corporate_account.not_verified');
  if (member.consentWithdrawnAt) throw new BusinessError('consent.withdrawn');
  if (!sameAccountName(input.accountName, member.companyName))
    throw new BusinessError('corporate_account.name_mismatch', `对公户户名须与企业名称「${member.companyName}」一致`);
  const accountDigest = crypto.digest('card', input.accountNo);
  if (await prisma.bankCard.findFirst({ where: { memberId: member.id, cardDigest: accountDigest, corporate: true } })) {
    throw new BusinessError('corporate_account.already_bound');
  }
  const id = randomUUID();
  const workflowId = corporateAccountWorkflowId(member.application.appNo, id);
  try {
    await prisma.$transaction([
      prisma.corporateAccountVerification.create({
        data: {
          id,
          memberId: member.id,
          applicationId: member.applicationId,
          workflowId,
          accountNoEnc: crypto.encrypt(input.accountNo),
          accountNoMasked: maskCardNumber(input.accountNo),
          accountDigest,
          bankName: input.bankName,
          accountName: input.accountName,
          depositNo: `DEP${Date.now().toString(36).toUpperCase()}${id.replace(/-/g, '').slice(0, 10).toUpperCase()}`,
          triesLeft: DEPOSIT_TRIES,
          createdBy: actor.userId,
        },
      }),
      prisma.auditLog.create(auditOf(actor, 'corporate_account.bind', id, { memberId: member.id, accountNo: maskCardNumber(input.accountNo) })),
    ]);
  } catch (err) {
    // The partial unique index: this account is being verified already.
    if ((err as { code?: string }).code === 'P2002') throw new BusinessError('corporate_account.in_progress');
    throw err;
  }
  await startFlow(deps, actor, corporateAccountWorkflow, {
    workflowId,
    args: [{ verificationId: id, memberId: member.id, applicationId: member.applicationId, confirmWithinMs: DEPOSIT_CONFIRM_HOURS * 3_600_000 }],
    businessKey: `${member.bizUserId} 对公户 ${maskCardNumber(input.accountNo)}`,
    what: '对公户验证',
    undo: () => prisma.corporateAccountVerification.delete({ where: { id } }),
  });
  return viewOf(await prisma.corporateAccountVerification.findUniqueOrThrow({ where: { id } }));
}

/** The member's corporate account verifications, newest first. */
export async function listCorporateAccounts(deps: AppDeps, actor: Actor, memberId: string) {
  const member = await enterpriseOf(deps, actor, memberId);
  const rows = await deps.services.prisma.corporateAccountVerification.findMany({ where: { memberId: member.id }, orderBy: { createdAt: 'desc' } });
  return { items: rows.map((r) => viewOf(r)) };
}

/** 确认打款金额: the amount the enterprise received; right binds the account, wrong costs a try. */
export async function confirmDeposit(deps: AppDeps, actor: Actor, id: string, amountFen: number) {
  const { prisma } = deps.services;
  const v = await prisma.corporateAccountVerification.findFirst({ where: { id, applicationId: applicationScope(actor) } });
  if (!v) throw new BusinessError('corporate_account.not_found');
  if (v.status !== 'AWAITING_CONFIRMATION')
    throw new BusinessError('flow.finished', `该对公户验证${CORPORATE_ACCOUNT_STAGE_LABELS[v.status]}，不能确认打款金额`);
  try {
    await runUpdate(deps, v.workflowId, confirmDepositUpdate, { amountFen }, 'flow.finished');
  } finally {
    // Right or wrong, the try is audited (the amount itself is not).
    await prisma.auditLog.create(auditOf(actor, 'corporate_account.confirm', id, { memberId: v.memberId }));
  }
  return viewOf(await prisma.corporateAccountVerification.findUniqueOrThrow({ where: { id } }));
}
