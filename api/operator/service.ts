/**
 * The operator's view of every workflow instance (SPEC "Operating the flows"):
 * lists read the database read model; a detail also asks the workflow itself.
 */
import { STAGE_LABELS } from '../../domain/onboarding';
import { BusinessError } from '../../domain/errors';
import { cancelSignal, statusQuery } from '../../workflows/member-onboarding/messages';
import type { Actor, AppDeps } from '../context';
import { pageOf, pageWindow } from '../pagination';
import type { ListWorkflowsInput } from './schemas';

function temporalUrl(deps: AppDeps, workflowId: string): string {
  return `${deps.config.TEMPORAL_UI_URL.replace(/\/$/, '')}/namespaces/${encodeURIComponent(
    deps.config.TEMPORAL_NAMESPACE,
  )}/workflows/${encodeURIComponent(workflowId)}`;
}

export async function listWorkflows(deps: AppDeps, input: ListWorkflowsInput) {
  const { prisma } = deps.services;
  const where = {
    ...(input.stage ? { stage: input.stage } : {}),
    ...(input.keyword
      ? {
          OR: [
            { workflowId: { contains: input.keyword } },
            { member: { bizUserId: { contains: input.keyword } } },
            { member: { displayName: { contains: input.keyword } } },
            { application: { appNo: { contains: input.keyword } } },
          ],
        }
      : {}),
  };
  const [total, rows] = await Promise.all([
    prisma.onboardingSession.count({ where }),
    prisma.onboardingSession.findMany({
      where,
      orderBy: { updatedAt: 'desc' },
      ...pageWindow(input),
      include: { member: { select: { bizUserId: true, displayName: true, type: true } }, application: { select: { appNo: true, name: true } } },
    }),
  ]);
  return pageOf(
    input,
    total,
    rows.map((s) => ({
      workflowId: s.workflowId,
      flow: 'member-onboarding' as const,
      flowLabel: s.mode === 'PROXY' ? '平台代开户' : '会员自主开户',
      businessKey: `${s.application.appNo} / ${s.member.bizUserId}`,
      application: s.application,
      member: s.member,
      attempt: s.attempt,
      stage: s.stage,
      stageLabel: STAGE_LABELS[s.stage],
      waitingFor: s.waitingFor,
      deadline: s.expiresAt.toISOString(),
      createdAt: s.createdAt.toISOString(),
      updatedAt: s.updatedAt.toISOString(),
      temporalUrl: temporalUrl(deps, s.workflowId),
    })),
  );
}

export async function getWorkflow(deps: AppDeps, workflowId: string) {
  const s = await deps.services.prisma.onboardingSession.findUnique({
    where: { workflowId },
    include: { events: { orderBy: { at: 'asc' } }, member: { select: { bizUserId: true, displayName: true } } },
  });
  if (!s) throw new BusinessError('resource.not_found');
  const handle = deps.temporal.workflow.getHandle(workflowId);
  const [description, live] = await Promise.all([
    handle.describe().catch(() => null),
    handle.query(statusQuery).catch(() => null),
  ]);
  return {
    workflowId,
    runStatus: description?.status.name ?? 'UNKNOWN',
    startTime: description?.startTime.toISOString() ?? null,
    closeTime: description?.closeTime?.toISOString() ?? null,
    stage: s.stage,
    live,
    history: s.events.map((e) => ({ stage: e.stage, note: e.note, at: e.at.toISOString() })),
    member: s.member,
    temporalUrl: temporalUrl(deps, workflowId),
  };
}

/** Cancels an onboarding with a reason; the workflow closes it and the action is audited. */
export async function cancelWorkflow(deps: AppDeps, actor: Actor, workflowId: string, reason: string) {
  const s = await deps.services.prisma.onboardingSession.findUnique({ where: { workflowId } });
  if (!s) throw new BusinessError('resource.not_found');
  if (s.stage === 'COMPLETED' || s.stage === 'EXPIRED' || s.stage === 'CANCELLED') {
    throw new BusinessError('onboarding.wrong_stage', '该流程已结束，无法取消');
  }
  await deps.temporal.workflow.getHandle(workflowId).signal(cancelSignal, { reason });
  await deps.services.prisma.auditLog.create({
    data: { actorId: actor.userId, actorRole: actor.role, action: 'workflow.cancel', target: `workflow:${workflowId}`, detail: { reason } },
  });
}
