/**
 * 会员迁移 (SPEC F5) as each role takes part: the branch user files the
 * request, the operator confirms the configuration, the application uploads
 * and submits the file; reviewers decide in the queue (api/reviews).
 */
import { randomUUID } from 'node:crypto';
import type { Migration, MigrationStatus, Prisma } from '@prisma/client';
import { BusinessError } from '../../domain/errors';
import { memberMigrationWorkflowId } from '../../workflows/ids';
import { confirmConfigurationUpdate, submitMigrationFileUpdate, memberMigrationWorkflow } from '../../workflows/member-migration/messages';
import { auditOf } from '../audit';
import { branchHoldings } from '../../lib/business/branches';
import { type Actor, type AppDeps, branchScope } from '../context';
import { createTaskReview, undoTaskReview } from '../batch-import/service';
import { type UploadedFile, storeMemberFile, taskReport } from '../batch-import/member-file-store';
import { pageOf, pageWindow } from '../pagination';
import { runUpdate, startFlow } from '../workflow-calls';

export const MIGRATION_STATUS_LABELS: Record<MigrationStatus, string> = {
  IN_REVIEW: '迁移申请待审核',
  AWAITING_CONFIGURATION: '待运营确认配置',
  AWAITING_FILE: '待应用上传迁移文件',
  FILE_IN_REVIEW: '迁移文件待审核',
  EXECUTING: '迁移执行中',
  COMPLETED: '迁移完成',
  REJECTED: '已驳回',
};

async function view(deps: AppDeps, m: Migration) {
  const { prisma } = deps.services;
  const [app, task] = await Promise.all([
    prisma.application.findUnique({ where: { id: m.applicationId }, select: { appNo: true, name: true } }),
    m.taskId ? prisma.importTask.findUnique({ where: { id: m.taskId } }) : null,
  ]);
  return {
    id: m.id,
    application: app,
    reason: m.reason,
    status: m.status,
    statusLabel: MIGRATION_STATUS_LABELS[m.status],
    roleName: m.roleName,
    configuredAt: m.configuredAt?.toISOString() ?? null,
    rejectedReason: m.rejectedReason,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
    task: task && { id: task.id, status: task.status, totalRows: task.totalRows, processed: task.processed, succeeded: task.succeeded, failed: task.failed },
  };
}

/** A branch user files a migration request for an application. */
export async function fileMigration(deps: AppDeps, actor: Actor, input: { appNo: string; reason: string }) {
  const { prisma } = deps.services;
  const app = await prisma.application.findUnique({ where: { appNo: input.appNo } });
  // A branch user files only for its own branch's applications (another branch's is not shown to exist).
  const branchId = branchScope(actor);
  if (!app || (branchId && app.branchId !== branchId)) throw new BusinessError('application.not_found', `应用 ${input.appNo} 不存在，请先在二代系统开通应用`);
  const user = await prisma.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { displayName: true, username: true } });
  const { migration, review } = await prisma.$transaction(async (tx) => {
    const created = await tx.migration.create({
      data: { applicationId: app.id, reason: input.reason, requestedById: actor.userId, workflowId: `pending:${randomUUID()}` },
    });
    const migration = await tx.migration.update({ where: { id: created.id }, data: { workflowId: memberMigrationWorkflowId(app.appNo, created.id) } });
    const review = await tx.reviewItem.create({
      data: {
        kind: 'MIGRATION_REQUEST',
        subjectId: migration.id,
        applicationId: app.id,
        title: `${app.name}（${app.appNo}）会员迁移申请`,
        applicantId: actor.userId,
        applicantName: `${user.displayName}（${user.username}）`,
        workflowId: migration.workflowId,
      },
    });
    await tx.auditLog.create(auditOf(actor, 'migration.request', `migration:${migration.id}`, { reason: input.reason }));
    return { migration, review };
  });
  await startFlow(deps, actor, memberMigrationWorkflow, {
    workflowId: migration.workflowId,
    args: [{ migrationId: migration.id, reviewItemId: review.id, applicationId: migration.applicationId }],
    businessKey: `${app.appNo}/migration/${migration.id}`,
    what: '迁移流程',
    undo: () => prisma.$transaction([prisma.reviewItem.delete({ where: { id: review.id } }), prisma.migration.delete({ where: { id: migration.id } })]),
  });
  return view(deps, migration);
}

/** Headquarters sees every migration, a branch's staff its branch's, an application only its own. */
export async function listMigrations(deps: AppDeps, actor: Actor, input: { status?: MigrationStatus; page: number; pageSize: number }) {
  const { prisma } = deps.services;
  const branchId = branchScope(actor);
  const where: Prisma.MigrationWhereInput = {
    ...(actor.role === 'APPLICATION' ? { applicationId: actor.applicationId ?? '' } : {}),
    ...(branchId ? { applicationId: { in: (await branchHoldings(prisma, branchId)).applicationIds } } : {}),
    ...(input.status ? { status: input.status } : {}),
  };
  const [total, rows] = await Promise.all([
    prisma.migration.count({ where }),
    prisma.migration.findMany({ where, orderBy: { createdAt: 'desc' }, ...pageWindow(input) }),
  ]);
  return pageOf(input, total, await Promise.all(rows.map((m) => view(deps, m))));
}

async function findMigration(deps: AppDeps, actor: Actor, id: string) {
  const m = await deps.services.prisma.migration.findUnique({ where: { id } });
  if (!m || (actor.role === 'APPLICATION' && m.applicationId !== actor.applicationId)) throw new BusinessError('migration.not_found');
  const branchId = branchScope(actor);
  if (branchId && (await deps.services.prisma.application.findUnique({ where: { id: m.applicationId }, select: { branchId: true } }))?.branchId !== branchId)
    throw new BusinessError('migration.not_found');
  return m;
}

export async function getMigration(deps: AppDeps, actor: Actor, id: string) {
  return view(deps, await findMigration(deps, actor, id));
}

/** 运营确认配置: the workflow creates the migrated members' role. */
export async function confirmConfiguration(deps: AppDeps, actor: Actor, id: string) {
  const m = await findMigration(deps, actor, id);
  await runUpdate(deps, m.workflowId, confirmConfigurationUpdate, { operatorId: actor.userId }, 'migration.wrong_state');
  return getMigration(deps, actor, id);
}

/** The application uploads its migration file; the answer is the validation report. */
export async function uploadMigrationFile(deps: AppDeps, actor: Actor, id: string, kind: 'INDIVIDUAL' | 'ENTERPRISE', file: UploadedFile | undefined) {
  const m = await findMigration(deps, actor, id);
  if (m.status !== 'AWAITING_FILE') throw new BusinessError('migration.wrong_state');
  if (!file) throw new BusinessError('upload.missing', '请选择要上传的文件（字段名 file）');
  const task = await storeMemberFile(deps, actor, m.applicationId, kind, file, m.id);
  return taskReport(deps, task);
}

/** 提交审核 of the migration file: a review item, then the migration workflow is told. */
export async function submitMigrationFile(deps: AppDeps, actor: Actor, id: string, taskId: string) {
  const { prisma } = deps.services;
  const m = await findMigration(deps, actor, id);
  if (m.status !== 'AWAITING_FILE') throw new BusinessError('migration.wrong_state');
  const task = await prisma.importTask.findFirst({ where: { id: taskId, migrationId: m.id } });
  if (!task) throw new BusinessError('import.task_not_found');
  if (task.totalRows === task.invalidRows) throw new BusinessError('import.no_valid_rows');
  const review = await createTaskReview(deps, actor, task, 'MIGRATION_FILE');
  await prisma.migration.update({ where: { id: m.id }, data: { status: 'FILE_IN_REVIEW', taskId: task.id } });
  try {
    await runUpdate(
      deps,
      m.workflowId,
      submitMigrationFileUpdate,
      { taskId: task.id, reviewItemId: review.id, totalRows: task.totalRows },
      'migration.wrong_state',
    );
  } catch (err) {
    await undoTaskReview(deps, task, review.id);
    await prisma.migration.update({ where: { id: m.id }, data: { status: 'AWAITING_FILE', taskId: null } });
    throw err;
  }
  return getMigration(deps, actor, id);
}
