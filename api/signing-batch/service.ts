/**
 * 委托结算授权函 batch signing (SPEC F3), the API side of the signing-batch flow: batch sending of
 * signing links, the batch's progress, and 会员签约链接查询. Mounted under 收单商户管理
 * (post-settlement applications); every query is scoped to the caller's application.
 */
import { randomUUID } from 'node:crypto';
import type { Prisma } from '@prisma/client';
import { BusinessError } from '../../domain/errors';
import { signingBatchWorkflowId } from '../../workflows/ids';
import { signingLinkBatchWorkflow } from '../../workflows/signing-batch/messages';
import { merchantWhere } from '../acquiring/service';
import { auditOf } from '../audit';
import type { Actor, AppDeps } from '../context';
import { applicationScope } from '../context';
import { pageOf, pageWindow } from '../pagination';
import { startFlow } from '../workflow-calls';
import { MAX_BATCH_MEMBERS, type ListSigningLinksInput, type SendBatchInput } from './schemas';
import { memberKeywordWhere } from '../../lib/business/person-names';

const DAY_MS = 24 * 3600 * 1000;

/**
 * 批量发送签约链接: records the selection as the batch's items (in order) and
 * starts the batch workflow. The members themselves are checked by the
 * workflow's chunks (status, bound phone); ids that are not members of this
 * application are refused here, before anything is recorded.
 */
export async function sendSigningBatch(deps: AppDeps, actor: Actor, input: SendBatchInput) {
  const { prisma } = deps.services;
  const applicationId = applicationScope(actor);
  let memberIds: string[];
  if (input.memberIds) {
    memberIds = [...new Set(input.memberIds)];
    if (memberIds.length === 0) throw new BusinessError('signing.empty_selection');
    const found = await prisma.member.findMany({ where: { id: { in: memberIds }, applicationId }, select: { id: true } });
    if (found.length !== memberIds.length) {
      const known = new Set(found.map((m) => m.id));
      throw new BusinessError('member.not_found', '所选会员中有不存在或不属于本应用的会员', {
        unknownMemberIds: memberIds.filter((id) => !known.has(id)),
      });
    }
  } else {
    const rows = await prisma.member.findMany({
      where: merchantWhere(deps.services.crypto, applicationId, input.allFiltered!),
      orderBy: { createdAt: 'asc' },
      select: { id: true },
      take: MAX_BATCH_MEMBERS + 1,
    });
    if (rows.length === 0) throw new BusinessError('signing.empty_selection', '筛选结果中没有会员');
    if (rows.length > MAX_BATCH_MEMBERS) throw new BusinessError('signing.too_many');
    memberIds = rows.map((r) => r.id);
  }
  const app = await prisma.application.findUniqueOrThrow({ where: { id: applicationId }, select: { appNo: true } });
  const batch = await prisma.$transaction(async (tx) => {
    const created = await tx.signingBatch.create({
      data: {
        applicationId,
        createdById: actor.userId,
        validityDays: input.validityDays,
        total: memberIds.length,
        workflowId: `pending:${randomUUID()}`,
      },
    });
    const workflowId = signingBatchWorkflowId(app.appNo, created.id);
    await tx.signingBatch.update({ where: { id: created.id }, data: { workflowId } });
    await tx.signingBatchItem.createMany({ data: memberIds.map((memberId, seq) => ({ batchId: created.id, seq, memberId })) });
    await tx.auditLog.create(
      auditOf(actor, 'signing.batch.send', `signing-batch:${created.id}`, { members: memberIds.length, validityDays: input.validityDays }),
    );
    return { ...created, workflowId };
  });
  await startFlow(deps, actor, signingLinkBatchWorkflow, {
    workflowId: batch.workflowId,
    args: [{ batchId: batch.id, applicationId: batch.applicationId, total: memberIds.length, validityMs: input.validityDays * DAY_MS }],
    businessKey: `${app.appNo}/signing-batch/${batch.id}`,
    what: '批量发送任务',
    // Refused, nothing was sent: the batch is removed again, so no half-made batch is left.
    undo: () =>
      prisma.$transaction([prisma.signingBatchItem.deleteMany({ where: { batchId: batch.id } }), prisma.signingBatch.delete({ where: { id: batch.id } })]),
  });
  return getSigningBatch(deps, actor, batch.id);
}

/** Progress and result of a batch: counts, and the skipped members with their reasons. */
export async function getSigningBatch(deps: AppDeps, actor: Actor, batchId: string) {
  const { prisma } = deps.services;
  const batch = await prisma.signingBatch.findFirst({ where: { id: batchId, applicationId: applicationScope(actor) } });
  if (!batch) throw new BusinessError('signing.batch_not_found');
  const skipped = await prisma.signingBatchItem.findMany({
    where: { batchId, outcome: 'SKIPPED' },
    orderBy: { seq: 'asc' },
    take: 200,
  });
  const members = await prisma.member.findMany({
    where: { id: { in: skipped.map((s) => s.memberId) } },
    select: { id: true, bizUserId: true, displayName: true },
  });
  const byId = new Map(members.map((m) => [m.id, m]));
  return {
    id: batch.id,
    status: batch.status,
    total: batch.total,
    processed: batch.processed,
    sent: batch.sent,
    skipped: batch.skipped,
    validityDays: batch.validityDays,
    createdAt: batch.createdAt.toISOString(),
    finishedAt: batch.finishedAt?.toISOString() ?? null,
    workflowId: batch.workflowId,
    skippedMembers: skipped.map((s) => ({
      memberId: s.memberId,
      bizUserId: byId.get(s.memberId)?.bizUserId ?? null,
      displayName: byId.get(s.memberId)?.displayName ?? null,
      reason: s.reason,
    })),
  };
}

type LinkLike = { status: string; expiresAt: Date };

/** A live link past its deadline reads as expired even before the batch workflow marks it. */
export function effectiveStatus(deps: AppDeps, link: LinkLike): string {
  const live = link.status === 'PENDING' || link.status === 'SENT' || link.status === 'OPENED';
  const now = deps.services.clock.now();
  return live && link.expiresAt.getTime() <= now.getTime() ? 'EXPIRED' : link.status;
}

/** 会员签约链接查询: every link sent from 收单商户管理, newest first. */
export async function listSigningLinks(deps: AppDeps, actor: Actor, input: ListSigningLinksInput) {
  const { prisma } = deps.services;
  const now = deps.services.clock.now();
  const live = ['PENDING', 'SENT', 'OPENED'] as const;
  const statusWhere: Prisma.SigningLinkWhereInput =
    input.status === 'EXPIRED'
      ? { OR: [{ status: 'EXPIRED' }, { status: { in: [...live] }, expiresAt: { lte: now } }] }
      : input.status && (live as readonly string[]).includes(input.status)
        ? { status: input.status, expiresAt: { gt: now } }
        : input.status
          ? { status: input.status }
          : {};
  const where: Prisma.SigningLinkWhereInput = {
    applicationId: applicationScope(actor),
    purpose: 'SETTLEMENT_AUTHORISATION',
    ...(input.batchId ? { batchId: input.batchId } : {}),
    ...(input.keyword ? { member: memberKeywordWhere(deps.services.crypto, input.keyword) } : {}),
    ...statusWhere,
  };
  const [total, rows] = await Promise.all([
    prisma.signingLink.count({ where }),
    prisma.signingLink.findMany({
      where,
      orderBy: { createdAt: 'desc' },
      ...pageWindow(input),
      include: { member: { select: { bizUserId: true, displayName: true } } },
    }),
  ]);
  return pageOf(input, total, rows, (l) => ({
    id: l.id,
    memberId: l.memberId,
    bizUserId: l.member.bizUserId,
    memberName: l.member.displayName,
    phone: l.phoneMasked,
    batchId: l.batchId,
    status: effectiveStatus(deps, l),
    sentAt: l.sentAt?.toISOString() ?? null,
    expiresAt: l.expiresAt.toISOString(),
    openedAt: l.openedAt?.toISOString() ?? null,
    signedAt: l.signedAt?.toISOString() ?? null,
    revokedAt: l.revokedAt?.toISOString() ?? null,
    revokedReason: l.revokedReason,
  }));
}
