/**
 * 导出 of a list page, where its users expect one: the rows the page's filters select (the page's
 * own query, so an export shows what the list shows — masked as the list masks it), at most
 * MAX_EXPORT_ROWS like 账户明细, every text cell formula-neutralised (lib/formats/spreadsheets.ts),
 * and each export audited with its filters and row count.
 */
import type { Response } from 'express';
import { BusinessError } from '../domain/errors';
import { type Cell, writeXlsx } from '../lib/formats/spreadsheets';
import { auditOf } from './audit';
import type { Actor, AppDeps } from './context';
import { CONTENT_TYPES, sendAsFile } from './downloads';
import { MAX_EXPORT_ROWS } from './accounts/service';

export interface ListExport<T> {
  /** The audit action's last part and the file's subject: `export.members`, 会员列表. */
  what: string;
  title: string;
  columns: readonly (readonly [string, (row: T) => Cell | null | undefined])[];
  /** The page's own query for the first MAX_EXPORT_ROWS + 1 rows. */
  list: (window: { page: number; pageSize: number }) => Promise<{ total: number; items: T[] }>;
  /** The filters as the user chose them (in the file's first lines and in the audit). */
  filters: Record<string, unknown>;
}

export async function sendListExport<T>(deps: AppDeps, actor: Actor, res: Response, e: ListExport<T>): Promise<void> {
  const { total, items } = await e.list({ page: 1, pageSize: MAX_EXPORT_ROWS + 1 });
  if (total > MAX_EXPORT_ROWS)
    throw new BusinessError('export.too_many', `筛选结果共 ${total} 条，单次最多导出 ${MAX_EXPORT_ROWS} 条，请缩小查询范围`, {
      count: total,
      max: MAX_EXPORT_ROWS,
    });
  const filters = Object.fromEntries(Object.entries(e.filters).filter(([k, v]) => v !== undefined && v !== '' && k !== 'page' && k !== 'pageSize'));
  await deps.services.prisma.auditLog.create(
    auditOf(actor, `export.${e.what}`, `export:${e.what}`, { rows: items.length, filters: JSON.parse(JSON.stringify(filters)) }),
  );
  const stamp = deps.services.clock.now().toISOString().slice(0, 10);
  sendAsFile(res, `${e.title}-${stamp}.xlsx`, CONTENT_TYPES.XLSX);
  const preamble = [[`${e.title}导出`], ['筛选条件', Object.keys(filters).length ? JSON.stringify(filters) : '全部'], ['条数', items.length]];
  await writeXlsx(
    res,
    e.title,
    e.columns.map(([header]) => header),
    items.map((row) => e.columns.map(([, cell]) => cell(row) ?? '')),
    preamble,
  );
}
