/**
 * 会员批导 (the application's side): the import window (request, countdown),
 * templates, upload with the validation report, submission for review,
 * progress and the result file (回盘文件). Scoped to the caller's application.
 */
import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { ImportTask, Prisma } from '@prisma/client';
import { BusinessError } from '../../domain/errors';
import { type ImportKind, IMPORT_KIND_LABELS, TEMPLATE_COLUMNS, TEMPLATE_EXAMPLES } from '../../domain/member-file';
import { resultHeader, writeMemberFile } from '../../lib/formats/member-files';
import { importTaskWorkflowId, importWindowWorkflowId } from '../../workflows/ids';
import { closeWindowUpdate, extendWindowUpdate, importWindowWorkflow } from '../../workflows/import-window/messages';
import { batchImportWorkflow } from '../../workflows/batch-import/messages';
import { auditOf } from '../audit';
import type { Actor, AppDeps } from '../context';
import { applicationScope } from '../context';
import { pageOf, pageWindow } from '../pagination';
import { runUpdate, startFlow } from '../workflow-calls';
import { type UploadedFile, storeMemberFile, taskReport } from './member-file-store';

const now = (deps: AppDeps) => deps.services.clock.now();

async function actorName(deps: AppDeps, actor: Actor): Promise<string> {
  const user = await deps.services.prisma.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { displayName: true, username: true } });
  return `${user.displayName}（${user.username}）`;
}

function windowView(deps: AppDeps, w: Prisma.ImportWindowGetPayload<object> | null) {
  if (!w) return { open: false, window: null };
  const open = w.status === 'OPEN' && !!w.closesAt && w.closesAt.getTime() > now(deps).getTime();
  return {
    open,
    window: {
      id: w.id,
      status: w.status,
      reason: w.reason,
      openedAt: w.openedAt?.toISOString() ?? null,
      closesAt: w.closesAt?.toISOString() ?? null,
      closedAt: w.closedAt?.toISOString() ?? null,
      closedNote: w.closedNote,
      createdAt: w.createdAt.toISOString(),
    },
  };
}

export async function importWindowOf(deps: AppDeps, actor: Actor) {
  const w = await deps.services.prisma.importWindow.findFirst({ where: { applicationId: applicationScope(actor) }, orderBy: { createdAt: 'desc' } });
  return windowView(deps, w);
}

/** 申请开放: the reviewer decides; approved, the menu is open for 14 natural days. */
export async function requestImportWindow(deps: AppDeps, actor: Actor, reason: string) {
  const { prisma } = deps.services;
  const applicationId = applicationScope(actor);
  const current = await importWindowOf(deps, actor);
  if (current.window?.status === 'REQUESTED') throw new BusinessError('import.window_pending');
  if (current.open) throw new BusinessError('import.window_open');
  const app = await prisma.application.findUniqueOrThrow({ where: { id: applicationId } });
  const applicantName = await actorName(deps, actor);
  const { window, review } = await prisma.$transaction(async (tx) => {
    const created = await tx.importWindow.create({
      data: { applicationId, reason, requestedById: actor.userId, workflowId: `pending:${randomUUID()}` },
    });
    const workflowId = importWindowWorkflowId(app.appNo, created.id);
    const window = await tx.importWindow.update({ where: { id: created.id }, data: { workflowId } });
    const review = await tx.reviewItem.create({
      data: {
        kind: 'IMPORT_WINDOW',
        subjectId: window.id,
        applicationId,
        title: `${app.name}（${app.appNo}）申请开放会员批导入口`,
        applicantId: actor.userId,
        applicantName,
        workflowId,
      },
    });
    await tx.auditLog.create(auditOf(actor, 'import-window.request', `import-window:${window.id}`, { reason }));
    return { window, review };
  });
  await startFlow(deps, actor, importWindowWorkflow, {
    workflowId: window.workflowId,
    args: [{ windowId: window.id, reviewItemId: review.id, applicationId: window.applicationId }],
    businessKey: `${app.appNo}/import-window/${window.id}`,
    what: '开放申请流程',
    undo: () => prisma.$transaction([prisma.reviewItem.delete({ where: { id: review.id } }), prisma.importWindow.delete({ where: { id: window.id } })]),
  });
  return importWindowOf(deps, actor);
}

/** Operator: extend or close an open window (through the workflow, which validates and audits). */
export async function extendImportWindow(deps: AppDeps, actor: Actor, windowId: string, days: number, reason: string) {
  const w = await deps.services.prisma.importWindow.findUnique({ where: { id: windowId } });
  if (!w) throw new BusinessError('resource.not_found', '开放申请不存在');
  return runUpdate(deps, w.workflowId, extendWindowUpdate, { days, reason, operatorId: actor.userId }, 'import.window_not_open');
}

export async function closeImportWindow(deps: AppDeps, actor: Actor, windowId: string, reason: string) {
  const w = await deps.services.prisma.importWindow.findUnique({ where: { id: windowId } });
  if (!w) throw new BusinessError('resource.not_found', '开放申请不存在');
  return runUpdate(deps, w.workflowId, closeWindowUpdate, { reason, operatorId: actor.userId }, 'import.window_not_open');
}

/** Operator: every application's windows, newest first. */
export async function listImportWindows(deps: AppDeps, page: { page: number; pageSize: number }) {
  const { prisma } = deps.services;
  const [total, rows] = await Promise.all([prisma.importWindow.count(), prisma.importWindow.findMany({ orderBy: { createdAt: 'desc' }, ...pageWindow(page) })]);
  const apps = new Map(
    (await prisma.application.findMany({ where: { id: { in: rows.map((r) => r.applicationId) } }, select: { id: true, appNo: true, name: true } })).map((a) => [
      a.id,
      a,
    ]),
  );
  return pageOf(
    page,
    total,
    rows.map((w) => {
      const v = windowView(deps, w);
      return { ...v.window!, open: v.open, application: apps.get(w.applicationId) ?? null };
    }),
  );
}

export function writeTemplate(out: Writable, kind: ImportKind, format: 'csv' | 'xlsx') {
  return writeMemberFile(out, format === 'xlsx' ? 'XLSX' : 'CSV', format === 'xlsx' ? 'XLSX' : 'UTF-8', TEMPLATE_COLUMNS[kind], [TEMPLATE_EXAMPLES[kind]]);
}

export function templateName(kind: ImportKind, format: 'csv' | 'xlsx') {
  return `会员批导模板-${IMPORT_KIND_LABELS[kind]}.${format}`;
}

/** Upload: only while the window is open; answers with the validation report. */
export async function uploadImport(deps: AppDeps, actor: Actor, kind: ImportKind, file: UploadedFile | undefined) {
  if (!(await importWindowOf(deps, actor)).open) throw new BusinessError('import.window_closed');
  if (!file) throw new BusinessError('upload.missing', '请选择要上传的文件（字段名 file）');
  const task = await storeMemberFile(deps, actor, applicationScope(actor), kind, file, null);
  return taskReport(deps, task);
}

async function findTask(deps: AppDeps, actor: Actor, id: string): Promise<ImportTask> {
  const task = await deps.services.prisma.importTask.findFirst({ where: { id, applicationId: applicationScope(actor) } });
  if (!task) throw new BusinessError('import.task_not_found');
  return task;
}

export async function getImport(deps: AppDeps, actor: Actor, id: string) {
  const task = await findTask(deps, actor, id);
  const review = await deps.services.prisma.reviewItem.findFirst({ where: { subjectId: task.id }, orderBy: { createdAt: 'desc' } });
  return {
    ...(await taskReport(deps, task)),
    review: review && { status: review.status, reason: review.reason, decidedAt: review.decidedAt?.toISOString() ?? null, decidedBy: review.decidedByName },
  };
}

export async function listImports(deps: AppDeps, actor: Actor, page: { page: number; pageSize: number }) {
  const { prisma } = deps.services;
  const where = { applicationId: applicationScope(actor), purpose: 'IMPORT' };
  const [total, rows] = await Promise.all([
    prisma.importTask.count({ where }),
    prisma.importTask.findMany({ where, orderBy: { createdAt: 'desc' }, ...pageWindow(page) }),
  ]);
  return pageOf(
    page,
    total,
    rows.map((t) => ({
      id: t.id,
      kind: t.kind,
      fileName: t.fileName,
      status: t.status,
      totalRows: t.totalRows,
      invalidRows: t.invalidRows,
      processed: t.processed,
      succeeded: t.succeeded,
      failed: t.failed,
      createdAt: t.createdAt.toISOString(),
      finishedAt: t.finishedAt?.toISOString() ?? null,
    })),
  );
}

/**
 * 提交审核: the task goes to the reviewer queue and its workflow starts.
 * Used by imports (window must still be open) and migrations (the migration
 * workflow is told instead, see api/migrations).
 */
export async function submitImport(deps: AppDeps, actor: Actor, id: string) {
  const task = await findTask(deps, actor, id);
  if (task.purpose !== 'IMPORT') throw new BusinessError('import.wrong_state');
  if (task.status !== 'VALIDATED') throw new BusinessError('import.wrong_state');
  if (task.totalRows === task.invalidRows) throw new BusinessError('import.no_valid_rows');
  if (!(await importWindowOf(deps, actor)).open) throw new BusinessError('import.window_closed');
  const review = await createTaskReview(deps, actor, task, 'IMPORT_TASK');
  await startFlow(deps, actor, batchImportWorkflow, {
    workflowId: importTaskWorkflowId(task.id),
    args: [{ taskId: task.id, reviewItemId: review.id, totalRows: task.totalRows, applicationId: task.applicationId }],
    businessKey: `import/${task.id}`,
    what: '批导审核流程',
    undo: () => undoTaskReview(deps, task, review.id),
  });
  return getImport(deps, actor, id);
}

/** The review item of a task and its move to IN_REVIEW, in one transaction. */
export async function createTaskReview(deps: AppDeps, actor: Actor, task: ImportTask, kind: 'IMPORT_TASK' | 'MIGRATION_FILE') {
  const { prisma } = deps.services;
  const app = await prisma.application.findUniqueOrThrow({ where: { id: task.applicationId } });
  const applicantName = await actorName(deps, actor);
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.importTask.updateMany({
      where: { id: task.id, status: 'VALIDATED' },
      // Submitting, the platform attested its members' consent (the route refused it otherwise).
      data: {
        status: 'IN_REVIEW',
        submittedAt: now(deps),
        workflowId: importTaskWorkflowId(task.id),
        consentAttestedById: actor.userId,
        consentAttestedAt: now(deps),
      },
    });
    if (count === 0) throw new BusinessError('import.wrong_state');
    await tx.auditLog.create(auditOf(actor, `${kind === 'IMPORT_TASK' ? 'import' : 'migration.file'}.submit`, `import-task:${task.id}`));
    return tx.reviewItem.create({
      data: {
        kind,
        subjectId: task.id,
        applicationId: task.applicationId,
        title: `${app.name}（${app.appNo}）${kind === 'IMPORT_TASK' ? '会员批导' : '会员迁移文件'}：${IMPORT_KIND_LABELS[task.kind as ImportKind]} ${task.totalRows} 行`,
        applicantId: actor.userId,
        applicantName,
        workflowId: importTaskWorkflowId(task.id),
      },
    });
  });
}

export async function undoTaskReview(deps: AppDeps, task: ImportTask, reviewItemId: string) {
  const { prisma } = deps.services;
  await prisma.$transaction([
    prisma.reviewItem.delete({ where: { id: reviewItemId } }),
    prisma.importTask.update({ where: { id: task.id }, data: { status: 'VALIDATED', submittedAt: null, workflowId: null } }),
  ]);
}

/** 回盘文件: every row as uploaded plus its result code and message, in the upload's format. */
export async function writeResultFile(
  deps: AppDeps,
  actor: Actor,
  id: string,
  out: Writable,
  onReady: (name: string, format: string, encoding: string) => void,
) {
  const task = await findTask(deps, actor, id);
  if (task.status !== 'COMPLETED') throw new BusinessError('import.result_not_ready');
  const { prisma, crypto } = deps.services;
  async function* rows() {
    let after = 0;
    for (;;) {
      const page = await prisma.importRow.findMany({
        where: { taskId: task.id, rowNo: { gt: after } },
        orderBy: { rowNo: 'asc' },
        take: 2000,
      });
      if (page.length === 0) return;
      for (const r of page) {
        const cells = JSON.parse(crypto.decrypt(r.valuesEnc)) as string[];
        yield [...cells, r.resultCode ?? 'NOT_EXECUTED', r.resultMessage ?? '未执行'];
      }
      after = page[page.length - 1]!.rowNo;
    }
  }
  const base = task.fileName.replace(/\.(csv|xlsx)$/i, '');
  onReady(`${base}-回盘文件.${task.fileFormat === 'XLSX' ? 'xlsx' : 'csv'}`, task.fileFormat, task.encoding);
  await writeMemberFile(out, task.fileFormat as 'CSV' | 'XLSX', task.encoding as 'UTF-8' | 'GBK' | 'XLSX', resultHeader(task.kind as ImportKind), rows());
}
