/**
 * Reading and writing member files: CSV (UTF-8, with or without BOM, or GBK)
 * and XLSX. Reading checks type, encoding, size, row count and header before a
 * single row is kept; writing streams and neutralises formulas in every cell.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { BusinessError } from '../../domain/errors';
import {
  type ImportKind,
  LONG_NUMBER_CELL,
  MAX_FILE_BYTES,
  MAX_FILE_ROWS,
  RESULT_COLUMNS,
  TEMPLATE_COLUMNS,
  neutraliseFormula,
} from '../../domain/member-file';
import { writeXlsx } from './spreadsheets';

export type FileFormat = 'CSV' | 'XLSX';

export interface MemberFile {
  format: FileFormat;
  encoding: 'UTF-8' | 'GBK' | 'XLSX';
  /** Data rows (the header removed), cells as text. */
  rows: string[][];
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

export async function readMemberFile(kind: ImportKind, fileName: string, data: Buffer): Promise<MemberFile> {
  if (data.length === 0) throw new BusinessError('import.empty');
  if (data.length > MAX_FILE_BYTES) throw new BusinessError('import.too_large');
  const lower = fileName.toLowerCase();
  const isZip = ZIP_MAGIC.every((b, i) => data[i] === b);
  let file: MemberFile;
  if (lower.endsWith('.xlsx')) {
    if (!isZip) throw new BusinessError('import.wrong_type', '文件内容不是 XLSX 表格');
    file = { format: 'XLSX', encoding: 'XLSX', rows: await readXlsx(data) };
  } else if (lower.endsWith('.csv')) {
    if (isZip || data.includes(0)) throw new BusinessError('import.wrong_type', '文件内容不是 CSV 文本');
    const { text, encoding } = decodeCsv(data);
    let rows: string[][];
    try {
      rows = parse(text, { relax_column_count: true, skip_empty_lines: true, bom: false }) as string[][];
    } catch (err) {
      throw new BusinessError('import.malformed', `CSV 格式有误：${(err as Error).message.slice(0, 200)}`);
    }
    file = { format: 'CSV', encoding, rows };
  } else {
    throw new BusinessError('import.wrong_type');
  }
  // Blank lines out, in place: a 200,000-row file is not copied again.
  const rows = file.rows;
  let kept = 0;
  for (const r of rows) {
    if (!r.some((c) => String(c ?? '').trim() !== '')) continue;
    for (let i = 0; i < r.length; i++) r[i] = String(r[i] ?? '');
    rows[kept++] = r;
  }
  rows.length = kept;
  const header = rows.shift();
  if (!header) throw new BusinessError('import.empty');
  const expected = TEMPLATE_COLUMNS[kind];
  const got = header.map((c) => String(c ?? '').trim());
  while (got.length > expected.length && got[got.length - 1] === '') got.pop();
  if (got.length !== expected.length || got.some((c, i) => c !== expected[i])) {
    throw new BusinessError(
      'import.header_mismatch',
      `表头与「${kind === 'INDIVIDUAL' ? '个人会员' : kind === 'ENTERPRISE' ? '企业会员' : '银行卡绑定'}」模板不一致，应为：${expected.join('，')}`,
      {
        expected,
        got,
      },
    );
  }
  if (rows.length === 0) throw new BusinessError('import.empty');
  if (rows.length > MAX_FILE_ROWS) throw new BusinessError('import.too_many_rows');
  return file;
}

/** UTF-8 when the bytes are valid UTF-8 (a BOM is dropped), else GBK when they decode cleanly. */
function decodeCsv(data: Buffer): { text: string; encoding: 'UTF-8' | 'GBK' } {
  const body = data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? data.subarray(3) : data;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'UTF-8' };
  } catch {
    const text = iconv.decode(body, 'gbk');
    if (text.includes('\ufffd')) throw new BusinessError('import.wrong_encoding');
    return { text, encoding: 'GBK' };
  }
}

async function readXlsx(data: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw new BusinessError('import.wrong_type', '无法读取该 XLSX 文件');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new BusinessError('import.empty');
  if (sheet.rowCount > MAX_FILE_ROWS + 1) throw new BusinessError('import.too_many_rows');
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let i = 1; i <= row.cellCount; i++) {
      const cell = row.getCell(i);
      const long = typeof cell.value === 'number' && Math.abs(cell.value) >= 1e15;
      cells.push(long ? `${LONG_NUMBER_CELL}${cell.text}` : (cell.text ?? ''));
    }
    rows.push(cells);
  });
  return rows;
}

/**
 * Writes a member file (template or 回盘文件) to `out`, streaming the rows.
 * CSV is written in the given encoding (UTF-8 with a BOM so spreadsheets read it).
 */
export async function writeMemberFile(
  out: Writable,
  format: FileFormat,
  encoding: 'UTF-8' | 'GBK' | 'XLSX',
  header: readonly string[],
  rows: AsyncIterable<readonly string[]> | Iterable<readonly string[]>,
): Promise<void> {
  const safe = (cells: readonly string[]) => cells.map((c) => neutraliseFormula(String(c ?? '').replace(LONG_NUMBER_CELL, '')));
  if (format === 'XLSX') return writeXlsx(out, '会员', header, rows);
  const line = (cells: readonly string[]) => `${cells.map(csvCell).join(',')}\r\n`;
  const write = async (text: string) => {
    const chunk = encoding === 'GBK' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8');
    if (!out.write(chunk)) await once(out, 'drain');
  };
  await write(`${encoding === 'GBK' ? '' : '\ufeff'}${line(header)}`);
  let buffered = '';
  for await (const r of rows) {
    buffered += line(safe(r));
    if (buffered.length > 64 * 1024) {
      await write(buffered);
      buffered = '';
    }
  }
  if (buffered) await write(buffered);
  out.end();
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function resultHeader(kind: ImportKind): string[] {
  return [...TEMPLATE_COLUMNS[kind], ...RESULT_COLUMNS];
}
