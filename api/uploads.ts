import type { Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { BusinessError, type ErrorId } from '../domain/errors';
import { MAX_FILE_BYTES } from '../domain/member-file';

/** Licence and ID photos: at most 5 MB each. File names are read as UTF-8 (what browsers send), not busboy's latin1 default. */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

export const photoUpload = multer({ storage: multer.memoryStorage(), defParamCharset: 'utf8', limits: { fileSize: MAX_PHOTO_BYTES, files: 3, fields: 10 } });

/** Runs a multer middleware, turning its errors into business errors. */
export function receiveFiles(
  handler: RequestHandler,
  req: Request,
  res: Response,
  wrongFieldMessage?: string,
  tooLarge: ErrorId = 'upload.too_large',
): Promise<void> {
  return new Promise<void>((resolve, reject) =>
    handler(req, res, (err: unknown) => {
      if (err instanceof multer.MulterError) {
        reject(
          err.code === 'LIMIT_FILE_SIZE'
            ? new BusinessError(tooLarge)
            : new BusinessError('upload.missing', wrongFieldMessage ?? `上传的文件字段不正确（${err.field ?? err.code}）`),
        );
      } else if (err) {
        // The multipart parser's own refusals (truncated body, bad boundary): the request is malformed, not the server.
        const message = String((err as Error)?.message ?? err);
        reject(
          /multipart|boundary|unexpected end of form|malformed part header/i.test(message)
            ? new BusinessError('request.invalid', '上传内容不完整或格式错误')
            : err,
        );
      } else resolve();
    }),
  );
}

const IMAGE_SIGNATURES: { mime: string; magic: number[] }[] = [
  { mime: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
  { mime: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47] },
];

/** JPG or PNG by content (not by name or declared type); null for anything else. */
export function imageMimeType(buffer: Buffer): string | null {
  return IMAGE_SIGNATURES.find((sig) => sig.magic.every((b, i) => buffer[i] === b))?.mime ?? null;
}

/** Member files (批导, 迁移): one file of at most 50 MB. */
export const memberFileUpload = multer({ storage: multer.memoryStorage(), defParamCharset: 'utf8', limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 5 } });
