/**
 * Streamed spreadsheets (exports, statements, result files): rows are
 * committed as they come, never buffered whole; every text cell that a
 * spreadsheet would run as a formula is neutralised.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { neutraliseFormula } from '../../domain/member-file';

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
    if (++n % 1000 === 0) await backpressure(sheet, out);
  }
  sheet.commit();
  await workbook.commit();
}

/** What exceljs keeps to itself: the sheet's buffer and the compressor it feeds. */
interface QueuedStream {
  _writableState?: { length?: number };
  _readableState?: { length?: number };
}
interface SheetInternals {
  stream?: { pipes?: QueuedStream[] };
}

const MAX_PENDING_BYTES = 4 * 1024 * 1024;

/**
 * exceljs's sheet buffer writes into the zip compressor without waiting for
 * it, and the compressor into a slow reader; a big file then piles up in
 * memory. Waiting here until both have caught up keeps memory flat.
 */
async function backpressure(sheet: unknown, out: Writable): Promise<void> {
  const compressor = (sheet as SheetInternals).stream?.pipes?.[0];
  for (let turns = 0; turns < 10_000; turns++) {
    // exceljs uses readable-stream 2's PassThrough: its queues are only in the internal states.
    const pending = (compressor?._writableState?.length ?? 0) + (compressor?._readableState?.length ?? 0);
    if (pending <= MAX_PENDING_BYTES && !out.writableNeedDrain) return;
    if (out.writableNeedDrain) await once(out, 'drain');
    else await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
