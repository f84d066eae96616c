/**
 * The reviewer queue: every decision waiting for a branch reviewer across
 * flows (import window requests, import tasks, migration requests, migration
 * files), the material to decide on, and the decision itself, which goes to
 * the waiting workflow as an Update. A branch's reviewers see the items of
 * their branch's applications (and of its staff's new customers); headquarters
 * sees all. The branch of an item is its application's now, so moving an
 * application to another branch moves its items with it.
 */
import { HQ_BRANCH_ID } from '../../domain/branches';
import { branchHoldings } from '../../lib/business/branches';
import { BusinessError } from '../../domain/errors';
import { reviewDecisionUpdate } from '../../workflows/review-messages';
import type { Prisma, ReviewItem } from '@prisma/client';
import { type Actor, type AppDeps, branchScope } from '../context';
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

/** The items a branch's staff may see: its applications', and its own people's new customers'. */
async function visibleTo(deps: AppDeps, actor: Actor): Promise<Prisma.ReviewItemWhereInput> {
  const branchId = branchScope(actor);
  if (!branchId) return {};
  const { applicationIds, staffIds } = await branchHoldings(deps.services.prisma, branchId);
  return { OR: [{ applicationId: { in: applicationIds } }, { applicationId: null, applicantId: { in: staffIds } }] };
}

/**
 * 上报总部: a branch with no enabled reviewer besides the applicant cannot keep four eyes on its own
 * item; headquarters decides it (headquarters reviewers see every item).
 */
async function escalatedItems(deps: AppDeps, items: Pick<ReviewItem, 'id' | 'applicationId' | 'applicantId'>[]): Promise<Set<string>> {
  const { prisma } = deps.services;
  const appIds = [...new Set(items.flatMap((i) => (i.applicationId ? [i.applicationId] : [])))];
  const [apps, applicants] = await Promise.all([
    prisma.application.findMany({ where: { id: { in: appIds } }, select: { id: true, branchId: true } }),
    prisma.user.findMany({ where: { id: { in: [...new Set(items.map((i) => i.applicantId))] } }, select: { id: true, branchId: true } }),
  ]);
  const branchOfApp = new Map(apps.map((a) => [a.id, a.branchId]));
  const branchOfUser = new Map(applicants.map((u) => [u.id, u.branchId]));
  const branchOf = (i: (typeof items)[number]) => (i.applicationId ? branchOfApp.get(i.applicationId) : branchOfUser.get(i.applicantId)) ?? null;
  const branches = [...new Set(items.map(branchOf).filter((b): b is string => b !== null && b !== HQ_BRANCH_ID))];
  const reviewers = await prisma.user.findMany({
    where: { role: 'REVIEWER', disabledAt: null, branchId: { in: branches } },
    select: { id: true, branchId: true },
  });
  const escalated = new Set<string>();
  for (const item of items) {
    const branch = branchOf(item);
    if (branch === null || branch === HQ_BRANCH_ID) continue;
    if (!reviewers.some((r) => r.branchId === branch && r.id !== item.applicantId)) escalated.add(item.id);
  }
  return escalated;
}

export async function listReviews(deps: AppDeps, actor: Actor, input: ListReviewsInput) {
  const { prisma } = deps.services;
  const where: Prisma.ReviewItemWhereInput = {
    ...(input.state === 'PENDING' ? { status: 'PENDING' as const } : { status: { in: ['APPROVED' as const, 'REJECTED' as const] } }),
    ...(input.kind ? { kind: input.kind } : {}),
    ...(await visibleTo(deps, actor)),
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
  const escalated = await escalatedItems(deps, rows);
  return pageOf(input, total, rows, (r) => ({
    escalated: escalated.has(r.id),
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
/** An item this actor may see (another branch's is not shown to exist). */
async function visibleItem(deps: AppDeps, actor: Actor, id: string) {
  const item = await deps.services.prisma.reviewItem.findFirst({ where: { id, ...(await visibleTo(deps, actor)) } });
  if (!item) throw new BusinessError('review.not_found');
  return item;
}

export async function getReview(deps: AppDeps, actor: Actor, id: string) {
  const { prisma } = deps.services;
  const item = await visibleItem(deps, actor, id);
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
    escalated: (await escalatedItems(deps, [item])).has(item.id),
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
  const item = await visibleItem(deps, actor, id);
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
