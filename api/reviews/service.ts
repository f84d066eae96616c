/**
 * The reviewer queue: every decision waiting for a branch reviewer across
 * flows (import window requests, import tasks, migration requests, migration
 * files), the material to decide on, and the decision itself, which goes to
 * the waiting workflow as an Update.
 */
import { BusinessError } from '../../domain/errors';
import { reviewDecisionUpdate } from '../../workflows/review-messages';
import type { Actor, AppDeps } from '../context';
import { onboardingView } from '../application-onboarding/service';
import { taskReport } from '../batch-import/member-file-store';
import { pageOf, pageWindow } from '../pagination';
import { runUpdate } from '../workflow-calls';
import type { ListReviewsInput } from './schemas';

export const REVIEW_KIND_LABELS = {
  IMPORT_WINDOW: '批导入口开放申请',
  IMPORT_TASK: '会员批导任务',
  MIGRATION_REQUEST: '会员迁移申请',
  MIGRATION_FILE: '会员迁移文件',
  STATEMENT_ENABLEMENT: '月对账单开通申请',
  APPLICATION_ONBOARDING: '云商通产品开通申请',
  APPLICATION_GO_LIVE: '上线投产申请',
} as const;

export async function listReviews(deps: AppDeps, input: ListReviewsInput) {
  const { prisma } = deps.services;
  const where = {
    ...(input.state === 'PENDING' ? { status: 'PENDING' as const } : { status: { in: ['APPROVED' as const, 'REJECTED' as const] } }),
    ...(input.kind ? { kind: input.kind } : {}),
  };
  const [total, rows] = await Promise.all([
    prisma.reviewItem.count({ where }),
    prisma.reviewItem.findMany({
      where,
      orderBy: input.state === 'PENDING' ? { createdAt: 'asc' } : { decidedAt: 'desc' },
      ...pageWindow(input),
    }),
  ]);
  const apps = new Map(
    (
      await prisma.application.findMany({
        where: { id: { in: rows.flatMap((r) => (r.applicationId ? [r.applicationId] : [])) } },
        select: { id: true, appNo: true, name: true },
      })
    ).map((a) => [a.id, a]),
  );
  const now = deps.services.clock.now();
  return pageOf(input, total, rows, (r) => ({
    id: r.id,
    kind: r.kind,
    kindLabel: REVIEW_KIND_LABELS[r.kind],
    title: r.title,
    application: (r.applicationId && apps.get(r.applicationId)) || null,
    applicant: r.applicantName,
    createdAt: r.createdAt.toISOString(),
    ageHours: Math.floor((now.getTime() - r.createdAt.getTime()) / 3_600_000),
    status: r.status,
    decidedBy: r.decidedByName,
    decidedAt: r.decidedAt?.toISOString() ?? null,
    reason: r.reason,
  }));
}

/** One item with what the reviewer decides on. */
export async function getReview(deps: AppDeps, actor: Actor, id: string) {
  const { prisma } = deps.services;
  const item = await prisma.reviewItem.findUnique({ where: { id } });
  if (!item) throw new BusinessError('review.not_found');
  const app = item.applicationId
    ? await prisma.application.findUnique({ where: { id: item.applicationId }, select: { appNo: true, name: true, fundMode: true } })
    : null;
  let material: unknown = null;
  if (item.kind === 'IMPORT_WINDOW') {
    const w = await prisma.importWindow.findUnique({ where: { id: item.subjectId } });
    material = w && { reason: w.reason, status: w.status };
  } else if (item.kind === 'STATEMENT_ENABLEMENT') {
    const e = await prisma.statementEnablement.findUnique({ where: { id: item.subjectId } });
    material = e && { reason: e.reason, status: e.status, appliedMonth: e.appliedMonth };
  } else if (item.kind === 'MIGRATION_REQUEST') {
    const m = await prisma.migration.findUnique({ where: { id: item.subjectId } });
    material = m && { reason: m.reason, status: m.status, roleName: m.roleName };
  } else if (item.kind === 'APPLICATION_ONBOARDING' || item.kind === 'APPLICATION_GO_LIVE') {
    // The customer, its scenario and the checklist with every file (downloadable by the reviewer).
    const onboarding = await prisma.applicationOnboarding.findUnique({ where: { id: item.subjectId } });
    material = onboarding && (await onboardingView(deps, onboarding));
  } else {
    const task = await prisma.importTask.findUnique({ where: { id: item.subjectId } });
    material = task && (await taskReport(deps, task));
  }
  return {
    id: item.id,
    kind: item.kind,
    kindLabel: REVIEW_KIND_LABELS[item.kind],
    title: item.title,
    application: app,
    applicant: item.applicantName,
    ownSubmission: await isOwnSubmission(deps, item, actor.userId),
    createdAt: item.createdAt.toISOString(),
    status: item.status,
    decidedBy: item.decidedByName,
    decidedAt: item.decidedAt?.toISOString() ?? null,
    reason: item.reason,
    material,
  };
}

/** 通过 / 驳回: never one's own submission; the waiting workflow records it and moves on. */
/** Whose submission an item is: its applicant, and for a customer's onboarding also whoever recorded the customer. */
async function isOwnSubmission(deps: AppDeps, item: { kind: string; subjectId: string; applicantId: string }, userId: string): Promise<boolean> {
  if (item.applicantId === userId) return true;
  if (item.kind !== 'APPLICATION_ONBOARDING' && item.kind !== 'APPLICATION_GO_LIVE') return false;
  const onboarding = await deps.services.prisma.applicationOnboarding.findUnique({ where: { id: item.subjectId }, select: { createdById: true } });
  return onboarding?.createdById === userId;
}

export async function decideReview(deps: AppDeps, actor: Actor, id: string, decision: { approve: boolean; reason: string }) {
  const { prisma } = deps.services;
  const item = await prisma.reviewItem.findUnique({ where: { id } });
  if (!item) throw new BusinessError('review.not_found');
  if (await isOwnSubmission(deps, item, actor.userId)) throw new BusinessError('review.own_submission');
  if (item.status !== 'PENDING') throw new BusinessError('review.not_pending');
  const reviewer = await prisma.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { displayName: true, username: true } });
  await runUpdate(
    deps,
    item.workflowId,
    reviewDecisionUpdate,
    {
      reviewItemId: item.id,
      approve: decision.approve,
      reason: decision.reason,
      reviewerId: actor.userId,
      reviewerName: `${reviewer.displayName}（${reviewer.username}）`,
    },
    'review.not_pending',
  );
  return getReview(deps, actor, id);
}
