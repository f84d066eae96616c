/**
 * Streamed spreadsheets (exports, statements, result files): rows are
 * committed as they come, never buffered whole; every text cell that a
 * spreadsheet would run as a formula is neutralised.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { neutraliseFormula } from '../domain/member-file';

export type Cell = string | number;

const safe = (cells: readonly Cell[]) => cells.map((c) => (typeof c === 'number' ? c : neutraliseFormula(String(c ?? ''))));

/** Writes one sheet: optional preamble lines (the filter used), the header, then the rows. */
export async function writeXlsx(
  out: Writable,
  sheetName: string,
  header: readonly string[],
  rows: AsyncIterable<readonly Cell[]> | Iterable<readonly Cell[]>,
  preamble: readonly (readonly Cell[])[] = [],
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName);
  for (const line of preamble) sheet.addRow(safe(line)).commit();
  sheet.addRow([...header]).commit();
  let n = 0;
  for await (const r of rows) {
    sheet.addRow(safe(r)).commit();
    // exceljs does not wait for a slow reader: wait here, so memory stays flat whatever the file size.
    if (++n % 500 === 0 && out.writableNeedDrain) await once(out, 'drain');
  }
  sheet.commit();
  await workbook.commit();
}
