/**
 * The operator's view of every workflow instance (SPEC "Operating the flows"):
 * lists read the FlowInstance read model (never workflow histories); a detail
 * also asks the workflow for its live status. Every action is a validated
 * Update on the workflow and is audited with its reason.
 */
import type { Prisma } from '@prisma/client';
import type { UpdateDefinition } from '@temporalio/common';
import { BusinessError } from '../../domain/errors';
import { FLOW_ACTIONS, FLOW_LABELS, type FlowType, type OperatorAction, WAITING_FOR_LABELS, type WaitingFor } from '../../domain/flows';
import { maskPhone } from '../../domain/masking';
import {
  type OperatorRequest,
  cancelFlowUpdate,
  extendDeadlineUpdate,
  flowStatusQuery,
  resendSmsUpdate,
  retryStepUpdate,
} from '../../workflows/operator-messages';
import { auditOf } from '../audit';
import type { Actor, AppDeps } from '../context';
import { pageOf, pageWindow } from '../pagination';
import { runUpdate } from '../workflow-calls';
import type { ListWorkflowsInput } from './schemas';
import { nameDigestOf } from '../../lib/business/person-names';

function temporalUrl(deps: AppDeps, workflowId: string): string {
  return `${deps.config.TEMPORAL_UI_URL.replace(/\/$/, '')}/namespaces/${encodeURIComponent(
    deps.config.TEMPORAL_NAMESPACE,
  )}/workflows/${encodeURIComponent(workflowId)}`;
}

/** What an operator types, as it appears in the search text: a full mobile number is matched in its masked form. */
export function searchTerm(q: string): string {
  const t = q.trim().toLowerCase();
  return /^1\d{10}$/.test(t) ? maskPhone(t) : t;
}

const DAY = 24 * 3600 * 1000;

/** What the console offers on a flow: nothing once closed, and 重试 only while a step failed for good. */
function actionsOf(f: { closed: boolean; flow: string; retryable: boolean }) {
  if (f.closed) return [];
  return (FLOW_ACTIONS[f.flow as FlowType] ?? []).filter((a) => a !== 'retry' || f.retryable);
}

/** Members whose full name is `q` (by digest; at most a page of them). */
async function membersNamed(deps: AppDeps, q: string): Promise<string[]> {
  const rows = await deps.services.prisma.member.findMany({ where: { nameDigest: nameDigestOf(deps.services.crypto, q) }, select: { id: true }, take: 100 });
  return rows.map((r) => r.id);
}

export async function listWorkflows(deps: AppDeps, input: ListWorkflowsInput) {
  const { prisma } = deps.services;
  let applicationId: string | undefined;
  if (input.application) {
    const app = await prisma.application.findUnique({ where: { appNo: input.application }, select: { id: true } });
    if (!app) return pageOf(input, 0, []);
    applicationId = app.id;
  }
  const where: Prisma.FlowInstanceWhereInput = {
    ...(input.flow ? { flow: input.flow } : {}),
    ...(input.stage ? { stage: input.stage } : {}),
    ...(input.waitingFor ? { waitingFor: input.waitingFor } : {}),
    ...(applicationId ? { applicationId } : {}),
    ...(input.closed !== undefined ? { closed: input.closed } : {}),
    ...(input.stuckDays ? { closed: false, stageSince: { lt: new Date(deps.services.clock.now().getTime() - input.stuckDays * DAY) } } : {}),
    ...(input.failing === true ? { failingStep: { not: null } } : input.failing === false ? { failingStep: null } : {}),
    // The search text holds masked names only; an individual's full name is matched by its digest.
    ...(input.q ? { OR: [{ searchText: { contains: searchTerm(input.q) } }, { memberId: { in: await membersNamed(deps, input.q) } }] } : {}),
  };
  const [total, rows] = await Promise.all([
    prisma.flowInstance.count({ where }),
    prisma.flowInstance.findMany({ where, orderBy: { updatedAt: 'desc' }, ...pageWindow(input) }),
  ]);
  const [apps, members] = await Promise.all([
    prisma.application.findMany({
      where: { id: { in: [...new Set(rows.flatMap((r) => (r.applicationId ? [r.applicationId] : [])))] } },
      select: { id: true, appNo: true, name: true },
    }),
    prisma.member.findMany({
      where: { id: { in: [...new Set(rows.flatMap((r) => (r.memberId ? [r.memberId] : [])))] } },
      select: { id: true, bizUserId: true, displayName: true },
    }),
  ]);
  const appOf = new Map(apps.map((a) => [a.id, { appNo: a.appNo, name: a.name }]));
  const memberOf = new Map(members.map((m) => [m.id, { bizUserId: m.bizUserId, displayName: m.displayName }]));
  const now = deps.services.clock.now().getTime();
  return pageOf(input, total, rows, (r) => ({
    workflowId: r.workflowId,
    flow: r.flow,
    flowLabel: FLOW_LABELS[r.flow as FlowType] ?? r.flow,
    businessKey: r.businessKey,
    application: r.applicationId ? (appOf.get(r.applicationId) ?? null) : null,
    member: r.memberId ? (memberOf.get(r.memberId) ?? null) : null,
    stage: r.stage,
    stageLabel: r.stageLabel,
    waitingFor: r.waitingFor,
    waitingForLabel: WAITING_FOR_LABELS[r.waitingFor as WaitingFor] ?? r.waitingFor,
    deadline: r.deadline?.toISOString() ?? null,
    timeLeftMs: r.deadline && !r.closed ? r.deadline.getTime() - now : null,
    closed: r.closed,
    failingStep: r.failingStep,
    retryable: r.retryable,
    lastError: r.lastError,
    lastErrorAt: r.lastErrorAt?.toISOString() ?? null,
    startedAt: r.startedAt.toISOString(),
    stageSince: r.stageSince.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    actions: actionsOf(r),
    temporalUrl: temporalUrl(deps, r.workflowId),
  }));
}

async function flowOf(deps: AppDeps, workflowId: string) {
  const flow = await deps.services.prisma.flowInstance.findUnique({ where: { workflowId } });
  if (!flow) throw new BusinessError('resource.not_found');
  return flow;
}

export async function getWorkflow(deps: AppDeps, workflowId: string) {
  const flow = await flowOf(deps, workflowId);
  const { prisma } = deps.services;
  const handle = deps.temporal.workflow.getHandle(workflowId);
  const [description, live, actions, session] = await Promise.all([
    handle.describe().catch(() => null),
    handle.query(flowStatusQuery).catch(() => null),
    prisma.auditLog.findMany({ where: { target: `workflow:${workflowId}` }, orderBy: { at: 'asc' } }),
    flow.flow === 'member-onboarding' ? prisma.onboardingSession.findUnique({ where: { workflowId }, include: { events: { orderBy: { at: 'asc' } } } }) : null,
  ]);
  // The timeline: the flow's own stage history where it keeps one and the operators' actions, in time
  // order, then where it is now — last whatever its time says (the stage history is stamped by the
  // database, the stage by the app's clock, which TEST_NOW may move away from it).
  const history: { at: string; kind: 'stage' | 'operator' | 'current'; text: string }[] = [
    ...(session?.events.map((e) => ({ at: e.at.toISOString(), kind: 'stage' as const, text: e.note })) ?? []),
    ...actions.map((a) => ({
      at: a.at.toISOString(),
      kind: 'operator' as const,
      text: `${OPERATOR_ACTION_LABELS[a.action.replace('workflow.', '') as OperatorAction] ?? a.action}：${(a.detail as { reason?: string } | null)?.reason ?? ''}`,
    })),
  ];
  const timeline = [
    ...history.sort((a, b) => a.at.localeCompare(b.at)),
    { at: flow.stageSince.toISOString(), kind: 'current' as const, text: `当前环节：${flow.stageLabel}` },
  ];
  return {
    workflowId,
    flow: flow.flow,
    flowLabel: FLOW_LABELS[flow.flow as FlowType] ?? flow.flow,
    businessKey: flow.businessKey,
    stage: flow.stage,
    stageLabel: flow.stageLabel,
    waitingFor: flow.waitingFor,
    waitingForLabel: WAITING_FOR_LABELS[flow.waitingFor as WaitingFor] ?? flow.waitingFor,
    deadline: flow.deadline?.toISOString() ?? null,
    closed: flow.closed,
    failingStep: flow.failingStep,
    retryable: flow.retryable,
    lastError: flow.lastError,
    lastErrorAt: flow.lastErrorAt?.toISOString() ?? null,
    runStatus: description?.status.name ?? 'UNKNOWN',
    startTime: description?.startTime.toISOString() ?? flow.startedAt.toISOString(),
    closeTime: description?.closeTime?.toISOString() ?? null,
    live,
    timeline,
    actions: actionsOf(flow),
    temporalUrl: temporalUrl(deps, workflowId),
  };
}

export const OPERATOR_ACTION_LABELS: Record<OperatorAction, string> = {
  cancel: '取消流程',
  retry: '重试失败步骤',
  extend: '延期',
  resend: '重发短信',
};

/** Every operator Update takes the operator and the reason; an extension also the days. */
type OperatorUpdate = UpdateDefinition<unknown, [OperatorRequest & { days: number }]>;
const UPDATES: Record<OperatorAction, OperatorUpdate> = {
  cancel: cancelFlowUpdate as OperatorUpdate,
  retry: retryStepUpdate as OperatorUpdate,
  extend: extendDeadlineUpdate as OperatorUpdate,
  resend: resendSmsUpdate as OperatorUpdate,
};

/**
 * Runs one operator action on a flow: the flow type must support it, the
 * workflow's validator decides whether its current stage allows it, and an
 * accepted action is audited with its reason.
 */
export async function operateWorkflow(deps: AppDeps, actor: Actor, workflowId: string, action: OperatorAction, request: { reason: string; days?: number }) {
  const flow = await flowOf(deps, workflowId);
  if (!(FLOW_ACTIONS[flow.flow as FlowType] ?? []).includes(action)) throw new BusinessError('flow.action_unsupported');
  if (flow.closed) throw new BusinessError('flow.finished');
  const answer = await runUpdate(
    deps,
    workflowId,
    UPDATES[action],
    { operatorId: actor.userId, reason: request.reason, days: request.days ?? 0 },
    'flow.finished',
  );
  await deps.services.prisma.auditLog.create(
    auditOf(actor, `workflow.${action}`, `workflow:${workflowId}`, {
      reason: request.reason,
      flow: flow.flow,
      ...(request.days ? { days: request.days } : {}),
      answer: answer as Prisma.InputJsonValue,
    }),
  );
  // A new deadline is the workflow's (system time); the console shows it as the app's clock reads it.
  const deadline = (answer as { deadline?: string }).deadline;
  return { workflowId, action, ...(answer as object), ...(deadline ? { deadline: deps.services.clock.fromSystemTime(deadline).toISOString() } : {}) };
}
