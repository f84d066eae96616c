/**
 * The payment merchants the sandbox channel opens for 支付解决方案 (小程序B2B门店助手 and 微企付), as the
 * channel's 自动开通 does: one number per opening request — the same request always gets the same number —
 * whose last four digits check the first eight with the sandbox's key. Nothing is kept, so after a restart
 * the channel still knows every number it issued, and refuses one it never issued.
 */
import { createHmac } from 'node:crypto';
import type express from 'express';

export type MerchantPrefix = 'B2B' | 'WQF';

const KEY = 'yst-sandbox-channel-merchants';
const REQUEST_NO = /^[A-Za-z0-9_:-]{1,64}$/;

const digits = (text: string, n: number) =>
  (BigInt(`0x${createHmac('sha256', KEY).update(text).digest('hex').slice(0, 15)}`) % 10n ** BigInt(n)).toString().padStart(n, '0');

export function issueMerchantNo(prefix: MerchantPrefix, requestNo: string): string {
  const body = digits(`${prefix}|request|${requestNo}`, 8);
  return `${prefix}${body}${digits(`${prefix}|check|${body}`, 4)}`;
}

/** Whether the sandbox channel issued this number (prefix and 12 digits, the last four checking the rest). */
export function issuedMerchant(prefix: MerchantPrefix, no: string): boolean {
  const m = new RegExp(`^${prefix}(\\d{8})(\\d{4})$`).exec(no);
  return !!m && digits(`${prefix}|check|${m[1]}`, 4) === m[2];
}

/** `POST path` with `{ requestNo }` opens (or finds again) the merchant of that request; answers `view(no)`. */
export function mountMerchantOpening(app: express.Express, path: string, prefix: MerchantPrefix, view: (no: string) => object): void {
  app.post(path, (req, res) => {
    let requestNo: unknown;
    try {
      requestNo = (JSON.parse(String(req.body)) as { requestNo?: unknown }).requestNo;
    } catch {
      return void res.status(400).json({ code: 'BAD_REQUEST', message: '请求格式错误' });
    }
    if (typeof requestNo !== 'string' || !REQUEST_NO.test(requestNo))
      return void res.status(400).json({ code: 'REQUEST_NO_INVALID', message: 'requestNo 须为1-64位字母、数字或 _:-' });
    res.json(view(issueMerchantNo(prefix, requestNo)));
  });
}
