import type { Response } from 'express';

export const CONTENT_TYPES = {
  XLSX: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  PDF: 'application/pdf',
  TXT: 'text/plain; charset=utf-8',
  CSV_UTF8: 'text/csv; charset=utf-8',
  CSV_GBK: 'text/csv; charset=gbk',
} as const;

/**
 * Marks a response as a file download. The Chinese file name goes in
 * `filename*` (RFC 5987); `filename` keeps an ASCII fallback with the same extension.
 */
export function sendAsFile(res: Response, name: string, contentType: string): void {
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1] ?? 'bin';
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Disposition', `attachment; filename="download.${extension}"; filename*=UTF-8''${encodeURIComponent(name)}`);
}
