/**
 * 账务与对账: daily statements (txt, Excel) for every application, monthly
 * statements (Excel) once 月对账单 is enabled (F6), and the enablement request.
 */
import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import { BusinessError } from '../../domain/errors';
import { businessDay, monthOf } from '../../domain/ledger';
import { publishStatement, writeStatement } from '../../lib/formats/statements';
import { monthlyStatementsWorkflowId } from '../../workflows/ids';
import { configureStatementsUpdate, monthlyStatementsWorkflow } from '../../workflows/monthly-statements/messages';
import { auditOf } from '../audit';
import type { Actor, AppDeps } from '../context';
import { applicationScope } from '../context';
import { runUpdate, startFlow } from '../workflow-calls';

const now = (deps: AppDeps) => deps.services.clock.now();

async function appOf(deps: AppDeps, actor: Actor) {
  return deps.services.prisma.application.findUniqueOrThrow({ where: { id: applicationScope(actor) }, select: { id: true, appNo: true, name: true } });
}

/** 日对账单: any finished day; publishing is idempotent (a changed day gets a new version). */
export async function writeDailyStatement(deps: AppDeps, actor: Actor, day: string, format: 'txt' | 'xlsx', out: Writable, onReady: (name: string) => void) {
  if (Number.isNaN(Date.parse(`${day}T00:00:00Z`))) throw new BusinessError('request.invalid', '对账日期不是有效日期');
  if (day >= businessDay(now(deps))) throw new BusinessError('statement.future_day');
  const app = await appOf(deps, actor);
  const period = { kind: 'DAY' as const, key: day };
  const published = await publishStatement(deps.services.prisma, app.id, period);
  onReady(`日对账单-${app.appNo}-${day}-v${published.version}.${format}`);
  await writeStatement(deps.services.prisma, out, format === 'xlsx' ? 'XLSX' : 'TXT', app, period, published);
}

async function latestEnablement(deps: AppDeps, applicationId: string) {
  return deps.services.prisma.statementEnablement.findFirst({ where: { applicationId }, orderBy: { createdAt: 'desc' } });
}

/** The enablement and the published monthly statements of the application. */
export async function monthlyOverview(deps: AppDeps, actor: Actor) {
  const applicationId = applicationScope(actor);
  const e = await latestEnablement(deps, applicationId);
  const statements = await deps.services.prisma.statement.findMany({
    where: { applicationId, period: 'MONTH' },
    orderBy: [{ periodKey: 'desc' }, { version: 'desc' }],
  });
  return {
    enablement: e && {
      id: e.id,
      status: e.status,
      reason: e.reason,
      appliedMonth: e.appliedMonth,
      configuredAt: e.configuredAt?.toISOString() ?? null,
      rejectedReason: e.rejectedReason,
      createdAt: e.createdAt.toISOString(),
    },
    statements: statements.map((s) => ({
      month: s.periodKey,
      version: s.version,
      rowCount: s.rowCount,
      total: s.totalFen.toString(),
      generatedAt: s.generatedAt.toISOString(),
    })),
  };
}

/** 月对账单: only once enabled, never for a month before the application month, and once generated. */
export async function writeMonthlyStatement(deps: AppDeps, actor: Actor, month: string, out: Writable, onReady: (name: string) => void) {
  const app = await appOf(deps, actor);
  const e = await latestEnablement(deps, app.id);
  if (!e || e.status !== 'ENABLED') throw new BusinessError('statement.not_enabled');
  if (month < e.appliedMonth) throw new BusinessError('statement.before_enablement', `月对账单自 ${e.appliedMonth} 起提供，${month} 不支持生成`);
  const published = await deps.services.prisma.statement.findFirst({
    where: { applicationId: app.id, period: 'MONTH', periodKey: month },
    orderBy: { version: 'desc' },
  });
  if (!published) throw new BusinessError('statement.not_ready');
  onReady(`月对账单-${app.appNo}-${month}-v${published.version}.xlsx`);
  await writeStatement(deps.services.prisma, out, 'XLSX', app, { kind: 'MONTH', key: month }, published);
}

/** 申请开通: reason required; the branch reviewer decides, HQ operations configures. */
export async function requestEnablement(deps: AppDeps, actor: Actor, reason: string) {
  const { prisma } = deps.services;
  const app = await appOf(deps, actor);
  const current = await latestEnablement(deps, app.id);
  if (current?.status === 'ENABLED') throw new BusinessError('statement.already_enabled');
  if (current && (current.status === 'IN_REVIEW' || current.status === 'AWAITING_CONFIGURATION')) throw new BusinessError('statement.enablement_pending');
  const user = await prisma.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { displayName: true, username: true } });
  const { enablement, review } = await prisma.$transaction(async (tx) => {
    const created = await tx.statementEnablement.create({
      data: { applicationId: app.id, reason, appliedMonth: monthOf(now(deps)), requestedById: actor.userId, workflowId: `pending:${randomUUID()}` },
    });
    const enablement = await tx.statementEnablement.update({
      where: { id: created.id },
      data: { workflowId: monthlyStatementsWorkflowId(app.appNo, created.id) },
    });
    const review = await tx.reviewItem.create({
      data: {
        kind: 'STATEMENT_ENABLEMENT',
        subjectId: enablement.id,
        applicationId: app.id,
        title: `${app.name}（${app.appNo}）申请开通月对账单`,
        applicantId: actor.userId,
        applicantName: `${user.displayName}（${user.username}）`,
        workflowId: enablement.workflowId,
      },
    });
    await tx.auditLog.create(auditOf(actor, 'statement.enablement.request', `statement-enablement:${enablement.id}`, { reason }));
    return { enablement, review };
  });
  await startFlow(deps, actor, monthlyStatementsWorkflow, {
    workflowId: enablement.workflowId,
    args: [{ enablementId: enablement.id, reviewItemId: review.id, applicationId: app.id, appliedMonth: enablement.appliedMonth }],
    businessKey: `${app.appNo}/monthly-statements`,
    what: '月对账单开通流程',
    undo: () =>
      prisma.$transaction([prisma.reviewItem.delete({ where: { id: review.id } }), prisma.statementEnablement.delete({ where: { id: enablement.id } })]),
  });
  return monthlyOverview(deps, actor);
}

/** Operator: the enablements, and 配置 of one waiting for HQ. */
export async function listEnablements(deps: AppDeps) {
  const rows = await deps.services.prisma.statementEnablement.findMany({ orderBy: { createdAt: 'desc' }, take: 200 });
  const apps = new Map(
    (
      await deps.services.prisma.application.findMany({
        where: { id: { in: rows.map((r) => r.applicationId) } },
        select: { id: true, appNo: true, name: true },
      })
    ).map((a) => [a.id, a]),
  );
  return rows.map((e) => ({
    id: e.id,
    application: apps.get(e.applicationId) ?? null,
    status: e.status,
    reason: e.reason,
    appliedMonth: e.appliedMonth,
    createdAt: e.createdAt.toISOString(),
    rejectedReason: e.rejectedReason,
  }));
}

export async function configureEnablement(deps: AppDeps, actor: Actor, id: string) {
  const e = await deps.services.prisma.statementEnablement.findUnique({ where: { id } });
  if (!e) throw new BusinessError('enablement.not_found');
  return runUpdate(deps, e.workflowId, configureStatementsUpdate, { operatorId: actor.userId }, 'statement.wrong_stage');
}
