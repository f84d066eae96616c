/**
 * Storing an uploaded member file as a task (会员批导 and 会员迁移 share it):
 * read and check the file, check every row (alone, against the other rows,
 * against the application's members), then store the task and its rows —
 * encrypted — in one transaction, so a refused file leaves nothing behind.
 */
import { createHash } from 'node:crypto';
import type { ImportTask } from '@prisma/client';
import { maskCardNumber, maskIdNumber, maskPhone } from '../../domain/masking';
import { type ImportKind, LONG_NUMBER_CELL, TEMPLATE_COLUMNS, duplicateKey, rowProblems, rowValues } from '../../domain/member-file';
import { readMemberFile } from '../../lib/formats/member-files';
import { auditOf } from '../audit';
import type { Actor, AppDeps } from '../context';

export interface UploadedFile {
  originalname: string;
  buffer: Buffer;
  size: number;
}

const INSERT_BATCH = 5000;

export async function storeMemberFile(
  deps: AppDeps,
  actor: Actor,
  applicationId: string,
  kind: ImportKind,
  upload: UploadedFile,
  migrationId: string | null,
): Promise<ImportTask> {
  const { prisma, crypto } = deps.services;
  const file = await readMemberFile(kind, upload.originalname, upload.buffer);
  // Only what the checks across rows need is kept per row: the member number and the problems.
  const bizUserIds: string[] = new Array(file.rows.length);
  const problems: string[][] = new Array(file.rows.length);
  const firstRow = new Map<string, number>();
  file.rows.forEach((cells, i) => {
    const v = rowValues(kind, cells);
    bizUserIds[i] = v.bizUserId;
    problems[i] = rowProblems(kind, cells);
    if (!v.bizUserId) return;
    // Duplicates inside the file: every row after the first with the same key.
    const key = duplicateKey(kind, v);
    const first = firstRow.get(key);
    if (first === undefined) firstRow.set(key, i + 1);
    else problems[i]!.push(`与第${first}行重复`);
  });
  firstRow.clear();
  // Against the application's members: new members must not exist, card bindings need one.
  const ids = [...new Set(bizUserIds.filter(Boolean))];
  const existing = new Set<string>();
  for (let i = 0; i < ids.length; i += 10_000) {
    const found = await prisma.$queryRaw<{ bizUserId: string }[]>`
      SELECT "bizUserId" FROM "Member" WHERE "applicationId" = ${applicationId}::uuid AND "bizUserId" = ANY(${ids.slice(i, i + 10_000)}::text[])`;
    for (const m of found) existing.add(m.bizUserId);
  }
  bizUserIds.forEach((biz, i) => {
    if (!biz) return;
    if (kind === 'BANK_CARD' && !existing.has(biz)) problems[i]!.push('会员编号不存在');
    if (kind !== 'BANK_CARD' && existing.has(biz)) problems[i]!.push('会员编号已存在');
  });

  const invalidRows = problems.filter((p) => p.length > 0).length;
  return prisma.$transaction(
    async (tx) => {
      const task = await tx.importTask.create({
        data: {
          applicationId,
          kind,
          purpose: migrationId ? 'MIGRATION' : 'IMPORT',
          migrationId,
          fileName: upload.originalname.slice(0, 200),
          fileFormat: file.format,
          encoding: file.encoding,
          fileSize: upload.size,
          fileSha256: createHash('sha256').update(upload.buffer).digest('hex'),
          totalRows: file.rows.length,
          invalidRows,
          createdById: actor.userId,
        },
      });
      // Rows in batches of one statement each (unnest): fast for 100,000 rows, and
      // still all inside this transaction. Problems travel joined by U+001F.
      for (let i = 0; i < file.rows.length; i += INSERT_BATCH) {
        const batch = file.rows.slice(i, i + INSERT_BATCH);
        const rowNos = batch.map((_, k) => i + k + 1);
        await tx.$executeRaw`
          INSERT INTO "ImportRow" ("taskId", "rowNo", "bizUserId", "valuesEnc", problems)
          SELECT ${task.id}::uuid, v.row_no, v.biz, v.enc, CASE WHEN v.problems = '' THEN '{}'::text[] ELSE string_to_array(v.problems, chr(31)) END
          FROM unnest(${rowNos}::int[], ${rowNos.map((n) => bizUserIds[n - 1]!.slice(0, 64))}::text[],
                      ${batch.map((cells) => crypto.encrypt(JSON.stringify(cells.slice(0, TEMPLATE_COLUMNS[kind].length))))}::text[],
                      ${rowNos.map((n) => problems[n - 1]!.join('\u001f'))}::text[]) AS v(row_no, biz, enc, problems)`;
      }
      await tx.auditLog.create(
        auditOf(actor, migrationId ? 'migration.file.upload' : 'import.upload', `import-task:${task.id}`, {
          kind,
          rows: file.rows.length,
          invalidRows,
          fileName: upload.originalname.slice(0, 200),
        }),
      );
      return task;
    },
    { timeout: 120_000 },
  );
}

/** Masks the sensitive cells of a row for previews (ID numbers, phones, card numbers). */
export function maskedCells(kind: ImportKind, cells: string[]): string[] {
  return TEMPLATE_COLUMNS[kind].map((header, i) => {
    const c = (cells[i] ?? '').replace(LONG_NUMBER_CELL, '');
    if (!c) return c;
    if (header.includes('证件号码')) return maskIdNumber(c);
    if (header.includes('手机号')) return maskPhone(c);
    if (header.includes('银行卡号')) return maskCardNumber(c);
    return c;
  });
}

/** What the upload page and the reviewer see: the summary, a preview and the validation report. */
export async function taskReport(deps: AppDeps, task: ImportTask) {
  const { prisma, crypto } = deps.services;
  const kind = task.kind as ImportKind;
  const [preview, invalid] = await Promise.all([
    prisma.importRow.findMany({ where: { taskId: task.id }, orderBy: { rowNo: 'asc' }, take: 20 }),
    prisma.importRow.findMany({
      where: { taskId: task.id, NOT: { problems: { isEmpty: true } } },
      orderBy: { rowNo: 'asc' },
      take: 200,
      select: { rowNo: true, bizUserId: true, problems: true },
    }),
  ]);
  return {
    id: task.id,
    kind: task.kind,
    purpose: task.purpose,
    migrationId: task.migrationId,
    fileName: task.fileName,
    fileFormat: task.fileFormat,
    encoding: task.encoding,
    fileSize: task.fileSize,
    status: task.status,
    totalRows: task.totalRows,
    validRows: task.totalRows - task.invalidRows,
    invalidRows: task.invalidRows,
    processed: task.processed,
    succeeded: task.succeeded,
    failed: task.failed,
    createdAt: task.createdAt.toISOString(),
    submittedAt: task.submittedAt?.toISOString() ?? null,
    finishedAt: task.finishedAt?.toISOString() ?? null,
    columns: TEMPLATE_COLUMNS[kind],
    preview: preview.map((r) => ({ rowNo: r.rowNo, cells: maskedCells(kind, JSON.parse(crypto.decrypt(r.valuesEnc)) as string[]), problems: r.problems })),
    invalid,
  };
}
