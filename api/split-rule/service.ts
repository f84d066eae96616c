/**
 * 分账管理: split-commission rules (add, detail, resend, edit, status change)
 * and split order details. Rules are signed by their parties through SMS
 * signing links; the rule's signing workflow sends them and makes the rule
 * effective when every party has signed. Scoped to the caller's application.
 */
import { partyTermsHash } from '../../lib/business/document-hashes';
import { randomBytes } from 'node:crypto';
import type { Prisma, SplitRule, SplitRuleParty } from '@prisma/client';
import { BusinessError } from '../../domain/errors';
import { businessDay, dayStart, fenNumber } from '../../domain/ledger';
import { type SplitTerms, describeShare, termsProblems } from '../../domain/split';
import { splitRuleSigningWorkflowId } from '../../workflows/ids';
import { BUSINESS_KEY } from '../../workflows/search-attributes';
import { resendSignal, termsChangedSignal, splitRuleSigningWorkflow } from '../../workflows/split-rule/messages';
import { auditOf } from '../audit';
import type { Actor, AppDeps } from '../context';
import { applicationScope } from '../context';
import { pageOf, pageWindow } from '../pagination';
import { startFlow } from '../workflow-calls';
import type { EditSplitRuleInput, ListSplitOrdersInput, ListSplitRulesInput, SplitRuleInput } from './schemas';
import { memberKeywordWhere } from '../../lib/business/person-names';

type RuleWithParties = SplitRule & { parties: SplitRuleParty[] };

const isSigned = (p: SplitRuleParty) => p.signedTermsHash === p.termsHash;

export function ruleState(rule: RuleWithParties | SplitRule): 'PENDING_SIGNATURE' | 'EFFECTIVE' | 'DISABLED' {
  if (!rule.enabled) return 'DISABLED';
  return rule.allSigned ? 'EFFECTIVE' : 'PENDING_SIGNATURE';
}

/** The members a rule names must be members of this application that can sign (normal, phone bound). */
async function checkMembers(deps: AppDeps, applicationId: string, terms: SplitTerms) {
  const ids = [terms.receiverMemberId, ...terms.parties.map((p) => p.memberId)];
  const members = await deps.services.prisma.member.findMany({
    where: { id: { in: ids }, applicationId },
    select: { id: true, status: true, boundPhoneDigest: true, displayName: true, consentWithdrawnAt: true },
  });
  const byId = new Map(members.map((m) => [m.id, m]));
  const fieldOf = (id: string) =>
    id === terms.receiverMemberId ? 'receiverMemberId' : `parties.${terms.parties.findIndex((p) => p.memberId === id)}.memberId`;
  const unknown = ids.filter((id) => !byId.has(id));
  if (unknown.length > 0) {
    throw new BusinessError('split.party_unknown', undefined, { fields: unknown.map((id) => ({ field: fieldOf(id), message: '不是本应用的会员' })) });
  }
  const cannot = ids.filter((id) => byId.get(id)!.status !== 'NORMAL' || !byId.get(id)!.boundPhoneDigest || byId.get(id)!.consentWithdrawnAt);
  if (cannot.length > 0) {
    throw new BusinessError('split.party_cannot_sign', undefined, {
      fields: cannot.map((id) => ({ field: fieldOf(id), message: `${byId.get(id)!.displayName} 状态非正常、未绑定手机号或已撤回个人信息处理授权` })),
    });
  }
  const problems = termsProblems(terms);
  if (problems.length > 0) throw new BusinessError('split.invalid_terms', problems.map((p) => p.message).join('；'), { fields: problems });
}

function partiesOf(terms: SplitTerms) {
  return [
    { memberId: terms.receiverMemberId, role: 'RECEIVER', method: null, value: null, position: 0 },
    ...terms.parties.map((p, i) => ({ memberId: p.memberId, role: 'SPLIT', method: p.method, value: p.value, position: i + 1 })),
  ].map((p) => ({ ...p, termsHash: partyTermsHash(terms, p.memberId) }));
}

async function workflowIdOf(deps: AppDeps, rule: { applicationId: string; ruleNo: string }) {
  const app = await deps.services.prisma.application.findUniqueOrThrow({ where: { id: rule.applicationId }, select: { appNo: true } });
  return { appNo: app.appNo, workflowId: splitRuleSigningWorkflowId(app.appNo, rule.ruleNo) };
}

export async function splitRuleWorkflowIdOf(deps: AppDeps, ruleId: string): Promise<string> {
  const rule = await deps.services.prisma.splitRule.findUniqueOrThrow({ where: { id: ruleId } });
  return (await workflowIdOf(deps, rule)).workflowId;
}

/** Starts the rule's signing workflow, or signals the running one. */
async function driveSigning(deps: AppDeps, rule: SplitRule, signal: typeof resendSignal | typeof termsChangedSignal) {
  const { appNo, workflowId } = await workflowIdOf(deps, rule);
  await deps.temporal.workflow.signalWithStart(splitRuleSigningWorkflow, {
    workflowId,
    taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
    args: [{ ruleId: rule.id, applicationId: rule.applicationId }],
    signal,
    signalArgs: [],
    typedSearchAttributes: [{ key: BUSINESS_KEY, value: `${appNo}/split-rule/${rule.ruleNo}` }],
  });
}

function newRuleNo(now: Date): string {
  const day = businessDay(now).replace(/-/g, '');
  return `FZ${day}${randomBytes(4).toString('hex').toUpperCase()}`;
}

/** 新增分账抽佣规则: stored with its parties; the signing workflow sends every party its link. */
export async function createSplitRule(deps: AppDeps, actor: Actor, input: SplitRuleInput) {
  const { prisma } = deps.services;
  const applicationId = applicationScope(actor);
  const terms: SplitTerms = input;
  await checkMembers(deps, applicationId, terms);
  const rule = await prisma.$transaction(async (tx) => {
    const created = await tx.splitRule.create({
      data: {
        applicationId,
        ruleNo: newRuleNo(deps.services.clock.now()),
        name: input.name,
        receiverMemberId: input.receiverMemberId,
        commissionMethod: input.commission?.method ?? null,
        commissionValue: input.commission?.value ?? null,
        parties: { create: partiesOf(terms) },
      },
    });
    await tx.auditLog.create(auditOf(actor, 'split-rule.create', `split-rule:${created.id}`, { terms: input }));
    return created;
  });
  // A new rule's first run sends the first round by itself; later edits and 协议重发 signal it (driveSigning).
  const { appNo, workflowId } = await workflowIdOf(deps, rule);
  await startFlow(deps, actor, splitRuleSigningWorkflow, {
    workflowId,
    args: [{ ruleId: rule.id, applicationId: rule.applicationId }],
    businessKey: `${appNo}/split-rule/${rule.ruleNo}`,
    what: '协议签约流程',
    undo: () => prisma.$transaction([prisma.splitRuleParty.deleteMany({ where: { ruleId: rule.id } }), prisma.splitRule.delete({ where: { id: rule.id } })]),
  });
  return getSplitRule(deps, actor, rule.id);
}

async function findRule(deps: AppDeps, actor: Actor, id: string): Promise<RuleWithParties> {
  const rule = await deps.services.prisma.splitRule.findFirst({
    where: { id, applicationId: applicationScope(actor) },
    include: { parties: { orderBy: { position: 'asc' } } },
  });
  if (!rule) throw new BusinessError('split.rule_not_found');
  return rule;
}

/** 查看详情: the receiving member, the rules, and each party's signing status. */
export async function getSplitRule(deps: AppDeps, actor: Actor, id: string) {
  const { prisma } = deps.services;
  const rule = await findRule(deps, actor, id);
  const memberIds = rule.parties.map((p) => p.memberId);
  const [members, links] = await Promise.all([
    prisma.member.findMany({
      where: { id: { in: memberIds } },
      select: { id: true, bizUserId: true, displayName: true, type: true, status: true, boundPhoneMasked: true },
    }),
    prisma.signingLink.findMany({ where: { splitRuleId: rule.id }, orderBy: { createdAt: 'desc' } }),
  ]);
  const byId = new Map(members.map((m) => [m.id, m]));
  const now = deps.services.clock.now();
  return {
    id: rule.id,
    ruleNo: rule.ruleNo,
    name: rule.name,
    state: ruleState(rule),
    enabled: rule.enabled,
    allSigned: rule.allSigned,
    version: rule.version,
    effectiveAt: rule.effectiveAt?.toISOString() ?? null,
    createdAt: rule.createdAt.toISOString(),
    updatedAt: rule.updatedAt.toISOString(),
    receiver: byId.get(rule.receiverMemberId) ?? null,
    commission: rule.commissionMethod
      ? {
          method: rule.commissionMethod,
          value: rule.commissionValue,
          label: describeShare({ method: rule.commissionMethod as 'RATIO' | 'FIXED', value: rule.commissionValue! }),
        }
      : null,
    parties: rule.parties.map((p) => {
      const link = links.find((l) => l.memberId === p.memberId);
      const linkExpired = link && ['PENDING', 'SENT', 'OPENED'].includes(link.status) && link.expiresAt <= now;
      return {
        memberId: p.memberId,
        member: byId.get(p.memberId) ?? null,
        role: p.role,
        method: p.method,
        value: p.value,
        label: p.method ? describeShare({ method: p.method as 'RATIO' | 'FIXED', value: p.value! }) : '收款会员',
        signed: isSigned(p),
        signedAt: isSigned(p) ? (p.signedAt?.toISOString() ?? null) : null,
        link: link
          ? { status: linkExpired ? 'EXPIRED' : link.status, sentAt: link.sentAt?.toISOString() ?? null, expiresAt: link.expiresAt.toISOString() }
          : null,
      };
    }),
  };
}

export async function listSplitRules(deps: AppDeps, actor: Actor, input: ListSplitRulesInput) {
  const { prisma } = deps.services;
  const applicationId = applicationScope(actor);
  const stateWhere: Prisma.SplitRuleWhereInput =
    input.state === 'DISABLED'
      ? { enabled: false }
      : input.state === 'EFFECTIVE'
        ? { enabled: true, allSigned: true }
        : input.state === 'PENDING_SIGNATURE'
          ? { enabled: true, allSigned: false }
          : {};
  let receiverFilter: Prisma.SplitRuleWhereInput = {};
  if (input.keyword) {
    const receivers = await prisma.member.findMany({
      where: { applicationId, ...memberKeywordWhere(deps.services.crypto, input.keyword) },
      select: { id: true },
      take: 1000,
    });
    receiverFilter = {
      OR: [{ ruleNo: { contains: input.keyword } }, { name: { contains: input.keyword } }, { receiverMemberId: { in: receivers.map((r) => r.id) } }],
    };
  }
  const where: Prisma.SplitRuleWhereInput = { applicationId, ...stateWhere, ...receiverFilter };
  const [total, rows] = await Promise.all([
    prisma.splitRule.count({ where }),
    prisma.splitRule.findMany({ where, orderBy: { createdAt: 'desc' }, ...pageWindow(input), include: { parties: true } }),
  ]);
  const receivers = await prisma.member.findMany({
    where: { id: { in: rows.map((r) => r.receiverMemberId) } },
    select: { id: true, bizUserId: true, displayName: true },
  });
  const byId = new Map(receivers.map((m) => [m.id, m]));
  return pageOf(input, total, rows, (r) => ({
    id: r.id,
    ruleNo: r.ruleNo,
    name: r.name,
    receiver: byId.get(r.receiverMemberId) ?? null,
    commission: r.commissionMethod ? describeShare({ method: r.commissionMethod as 'RATIO' | 'FIXED', value: r.commissionValue! }) : null,
    splitParties: r.parties.filter((p) => p.role === 'SPLIT').length,
    signedParties: r.parties.filter(isSigned).length,
    totalParties: r.parties.length,
    state: ruleState(r),
    enabled: r.enabled,
    createdAt: r.createdAt.toISOString(),
  }));
}

/** 协议重发: new links to the parties that have not signed (earlier links are revoked). */
export async function resendSplitRule(deps: AppDeps, actor: Actor, id: string) {
  const rule = await findRule(deps, actor, id);
  const unsigned = rule.parties.filter((p) => !isSigned(p));
  if (unsigned.length === 0) throw new BusinessError('split.all_signed');
  await deps.services.prisma.auditLog.create(auditOf(actor, 'split-rule.resend', `split-rule:${rule.id}`, { parties: unsigned.length }));
  try {
    await driveSigning(deps, rule, resendSignal);
  } catch (err) {
    console.error('[api] resending split rule links failed:', err);
    throw new BusinessError('service.unavailable', '协议重发失败，请稍后重试');
  }
  return { resentTo: unsigned.length };
}

/**
 * 分账抽佣规则编辑: everything but the receiving member. Parties whose terms
 * changed (and new parties) must sign again; their live links are revoked and
 * the workflow sends new ones. Until then the rule is not effective.
 */
export async function editSplitRule(deps: AppDeps, actor: Actor, id: string, input: EditSplitRuleInput) {
  const { prisma, signingLinks } = deps.services;
  const rule = await findRule(deps, actor, id);
  if (input.receiverMemberId && input.receiverMemberId !== rule.receiverMemberId) throw new BusinessError('split.receiver_changed');
  const terms: SplitTerms = { ...input, receiverMemberId: rule.receiverMemberId };
  await checkMembers(deps, rule.applicationId, terms);
  const next = partiesOf(terms);
  const before = new Map(rule.parties.map((p) => [p.memberId, p]));
  const removed = rule.parties.filter((p) => !next.some((n) => n.memberId === p.memberId));
  const changed = next.filter((n) => before.get(n.memberId)?.termsHash !== n.termsHash).map((n) => n.memberId);
  const allSigned = next.every((n) => before.get(n.memberId)?.signedTermsHash === n.termsHash);
  await prisma.$transaction(async (tx) => {
    await tx.splitRuleParty.deleteMany({ where: { ruleId: rule.id, memberId: { in: removed.map((p) => p.memberId) } } });
    for (const n of next) {
      await tx.splitRuleParty.upsert({
        where: { ruleId_memberId: { ruleId: rule.id, memberId: n.memberId } },
        update: { role: n.role, method: n.method, value: n.value, position: n.position, termsHash: n.termsHash },
        create: { ...n, ruleId: rule.id },
      });
    }
    await tx.splitRule.update({
      where: { id: rule.id },
      data: {
        name: input.name,
        commissionMethod: input.commission?.method ?? null,
        commissionValue: input.commission?.value ?? null,
        version: { increment: changed.length > 0 ? 1 : 0 },
        allSigned,
        effectiveAt: allSigned ? rule.effectiveAt : null,
      },
    });
    await tx.auditLog.create(
      auditOf(actor, 'split-rule.edit', `split-rule:${rule.id}`, {
        terms: { ...input, receiverMemberId: rule.receiverMemberId },
        resignBy: changed,
        removed: removed.map((p) => p.memberId),
      }),
    );
  });
  const stale = [...changed, ...removed.map((p) => p.memberId)];
  if (stale.length > 0) await signingLinks.revoke({ splitRuleId: rule.id, memberId: { in: stale } }, '分账规则已修改，请签署新的规则');
  if (!allSigned) {
    try {
      await driveSigning(deps, rule, termsChangedSignal);
    } catch (err) {
      console.error('[api] signalling the split rule edit failed:', err);
      throw new BusinessError('service.unavailable', '规则已保存，但签约短信暂未发出，请稍后点击“协议重发”');
    }
  }
  return getSplitRule(deps, actor, rule.id);
}

/** 状态变更: enable or disable, with the reason in the audit log. */
export async function changeSplitRuleStatus(deps: AppDeps, actor: Actor, id: string, change: { enabled: boolean; reason: string }) {
  const { prisma } = deps.services;
  const rule = await findRule(deps, actor, id);
  if (rule.enabled !== change.enabled) {
    await prisma.$transaction([
      prisma.splitRule.update({ where: { id: rule.id }, data: { enabled: change.enabled } }),
      prisma.auditLog.create(auditOf(actor, change.enabled ? 'split-rule.enable' : 'split-rule.disable', `split-rule:${rule.id}`, { reason: change.reason })),
    ]);
  }
  return getSplitRule(deps, actor, rule.id);
}

/** The audit trail of one rule, newest first (detail page). */
export async function splitRuleHistory(deps: AppDeps, actor: Actor, id: string) {
  const rule = await findRule(deps, actor, id);
  const rows = await deps.services.prisma.auditLog.findMany({ where: { target: `split-rule:${rule.id}` }, orderBy: { at: 'desc' }, take: 100 });
  return rows.map((r) => ({ action: r.action, actorRole: r.actorRole, at: r.at.toISOString(), detail: r.detail }));
}

/** 分账订单明细查询: 我分出去的 (splits to members) / 分给我的 (the platform's commission). */
export async function listSplitOrders(deps: AppDeps, actor: Actor, input: ListSplitOrdersInput) {
  const { prisma } = deps.services;
  const applicationId = applicationScope(actor);
  const where: Prisma.SplitDetailWhereInput = {
    applicationId,
    kind: input.direction === 'OUT' ? 'SPLIT' : 'COMMISSION',
    ...(input.from || input.to
      ? {
          createdAt: {
            ...(input.from ? { gte: dayStart(input.from) } : {}),
            ...(input.to ? { lt: new Date(dayStart(input.to).getTime() + 24 * 3600 * 1000) } : {}),
          },
        }
      : {}),
    ...(input.keyword ? { order: { OR: [{ orderNo: { contains: input.keyword } }, { bizOrderNo: { contains: input.keyword } }] } } : {}),
  };
  const [total, rows] = await Promise.all([
    prisma.splitDetail.count({ where }),
    prisma.splitDetail.findMany({ where, orderBy: { createdAt: 'desc' }, ...pageWindow(input), include: { order: true } }),
  ]);
  const memberIds = [...new Set(rows.flatMap((r) => [r.fromMemberId, r.toMemberId].filter((x): x is string => !!x)))];
  const names = new Map(
    (await prisma.member.findMany({ where: { id: { in: memberIds } }, select: { id: true, displayName: true, bizUserId: true } })).map((m) => [m.id, m]),
  );
  return pageOf(input, total, rows, (r) => ({
    id: r.id,
    orderNo: r.order.orderNo,
    bizOrderNo: r.order.bizOrderNo,
    orderAmountFen: fenNumber(r.order.amountFen),
    from: names.get(r.fromMemberId) ?? null,
    to: r.toMemberId ? (names.get(r.toMemberId) ?? null) : { id: null, displayName: '平台（抽佣）', bizUserId: null },
    kind: r.kind,
    amountFen: fenNumber(r.amountFen),
    status: r.status,
    createdAt: r.createdAt.toISOString(),
  }));
}

/** One split detail with its order and the order's other splits. */
export async function getSplitOrder(deps: AppDeps, actor: Actor, id: string) {
  const { prisma } = deps.services;
  const detail = await prisma.splitDetail.findFirst({
    where: { id, applicationId: applicationScope(actor) },
    include: { order: { include: { splits: { orderBy: { kind: 'desc' } } } } },
  });
  if (!detail) throw new BusinessError('resource.not_found', '分账明细不存在');
  const ids = [detail.order.receiverMemberId, ...detail.order.splits.flatMap((s) => [s.fromMemberId, s.toMemberId ?? ''])].filter(Boolean);
  const names = new Map(
    (await prisma.member.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true } })).map((m) => [m.id, m.displayName]),
  );
  const rule = detail.ruleId ? await prisma.splitRule.findUnique({ where: { id: detail.ruleId }, select: { ruleNo: true, name: true } }) : null;
  return {
    id: detail.id,
    kind: detail.kind,
    amountFen: fenNumber(detail.amountFen),
    status: detail.status,
    createdAt: detail.createdAt.toISOString(),
    rule,
    order: {
      orderNo: detail.order.orderNo,
      bizOrderNo: detail.order.bizOrderNo,
      type: detail.order.type,
      status: detail.order.status,
      amountFen: fenNumber(detail.order.amountFen),
      payerName: detail.order.payerName,
      receiver: names.get(detail.order.receiverMemberId) ?? null,
      createdAt: detail.order.createdAt.toISOString(),
    },
    splits: detail.order.splits.map((s) => ({
      id: s.id,
      kind: s.kind,
      to: s.toMemberId ? (names.get(s.toMemberId) ?? null) : '平台（抽佣）',
      amountFen: fenNumber(s.amountFen),
      status: s.status,
    })),
  };
}
