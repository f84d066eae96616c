/**
 * 支付解决方案 (portal manual §1.3) at the payment channel: 小程序B2B门店助手 — the store assistant's
 * payment merchant and the WeChat mini program's AppKey the channel signs B2B payments with. Requests
 * are signed like the channel's orders (HMAC-SHA256 over method, path and body, the merchant key); the
 * local sandbox (dev-channel/) speaks the same protocol.
 */
import { createHmac } from 'node:crypto';
import { ChannelUnavailableError } from './payment-channel';

export interface B2bStoreMerchant {
  merchantNo: string;
  /** NORMAL: payments can be taken once the AppKey is configured. */
  status: string;
  appKeyConfigured: boolean;
  appKeyConfiguredAt: string | null;
}

/** The channel refused what was sent (its own message, in Chinese): nothing was configured. */
export class ChannelRefusedError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ChannelRefusedError';
  }
}

export interface B2bStoreAssistant {
  /** null: the channel has no such merchant. */
  merchant(merchantNo: string): Promise<B2bStoreMerchant | null>;
  configureAppKey(merchantNo: string, appKey: string): Promise<B2bStoreMerchant>;
}

export function createB2bStoreAssistant(opts: { url: string; merchantId: string; key: string; timeoutMs?: number }): B2bStoreAssistant {
  const call = async (method: 'GET' | 'POST', path: string, body = ''): Promise<B2bStoreMerchant | null> => {
    const signature = createHmac('sha256', opts.key).update(`${method}\n${path}\n${body}`).digest('hex');
    let res: Response;
    try {
      res = await fetch(opts.url + path, {
        method,
        headers: { 'content-type': 'application/json', 'x-channel-merchant': opts.merchantId, 'x-channel-signature': signature },
        body: method === 'POST' ? body : undefined,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 5_000),
      });
    } catch (err) {
      throw new ChannelUnavailableError(`支付渠道不可达：${err instanceof Error ? err.message : String(err)}`);
    }
    if (res.status === 404) return null;
    const text = await res.text();
    if (res.status >= 500) throw new ChannelUnavailableError(`支付渠道故障（HTTP ${res.status}）`);
    if (!res.ok) {
      const refusal = (() => {
        try {
          return JSON.parse(text) as { code?: string; message?: string };
        } catch {
          return {};
        }
      })();
      throw new ChannelRefusedError(refusal.message ?? `支付渠道拒绝请求（HTTP ${res.status}）`, refusal.code ?? `HTTP_${res.status}`);
    }
    const m = JSON.parse(text) as B2bStoreMerchant;
    return { merchantNo: m.merchantNo, status: m.status, appKeyConfigured: !!m.appKeyConfigured, appKeyConfiguredAt: m.appKeyConfiguredAt ?? null };
  };
  const path = (no: string) => `/v1/b2b-store/merchants/${encodeURIComponent(no)}`;
  return {
    merchant: (no) => call('GET', path(no)),
    async configureAppKey(no, appKey) {
      const answer = await call('POST', `${path(no)}/app-key`, JSON.stringify({ appKey }));
      if (!answer) throw new ChannelRefusedError('支付商户不存在', 'NOT_FOUND');
      return answer;
    },
  };
}
