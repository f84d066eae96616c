/**
 * 支付解决方案 (portal manual §1.3) at the payment channel: 小程序B2B门店助手 — the store assistant's
 * payment merchant and the WeChat mini program's AppKey the channel signs B2B payments with — and
 * 微企付 — a merchant's real-time balance, its daily trade and fund files, its end-of-day balances. Requests
 * are signed like the channel's orders (HMAC-SHA256 over method, path and body, the merchant key); the
 * local sandbox (dev-channel/) speaks the same protocol.
 */
import { type ChannelAccount, ChannelUnavailableError, channelRequest } from './payment-channel';

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
  /** Opens the store assistant's payment merchant of this request at the channel (the same request: the same merchant). */
  open(requestNo: string): Promise<B2bStoreMerchant>;
  /** null: the channel has no such merchant. */
  merchant(merchantNo: string): Promise<B2bStoreMerchant | null>;
  configureAppKey(merchantNo: string, appKey: string): Promise<B2bStoreMerchant>;
}

export interface WeiqifuBalance {
  merchantNo: string;
  availableFen: bigint;
  frozenFen: bigint;
  asOf: string;
}

export interface Weiqifu {
  /** Opens the 微企付 merchant of this request at the channel (the same request: the same merchant); its number. */
  open(requestNo: string): Promise<string>;
  /** null: the channel has no such merchant. */
  balance(merchantNo: string): Promise<WeiqifuBalance | null>;
  /** End-of-day balances of the closed days from … to (Shanghai days, both included). */
  dailyBalances(merchantNo: string, from: string, to: string): Promise<{ day: string; balanceFen: bigint }[]>;
  /** 交易对账单 (TRADE) or 资金对账单 (FUND) of a closed day, as the channel's CSV. */
  file(merchantNo: string, type: 'TRADE' | 'FUND', day: string): Promise<Buffer>;
}

/** One signed request to the channel: its body on success, null for 404, a typed error otherwise. */
function channelCaller(account: ChannelAccount) {
  return async (method: 'GET' | 'POST', path: string, body = '', query = ''): Promise<Buffer | null> => {
    const res = await channelRequest(account, method, path, body, query);
    if (res.status === 404) return null;
    const data = Buffer.from(await res.arrayBuffer());
    if (res.status >= 500) throw new ChannelUnavailableError(`支付渠道故障（HTTP ${res.status}）`);
    if (!res.ok) {
      const refusal = (() => {
        try {
          return JSON.parse(data.toString('utf8')) as { code?: string; message?: string };
        } catch {
          return {};
        }
      })();
      throw new ChannelRefusedError(refusal.message ?? `支付渠道拒绝请求（HTTP ${res.status}）`, refusal.code ?? `HTTP_${res.status}`);
    }
    return data;
  };
}

export function createB2bStoreAssistant(opts: ChannelAccount): B2bStoreAssistant {
  const caller = channelCaller(opts);
  const call = async (method: 'GET' | 'POST', path: string, body = ''): Promise<B2bStoreMerchant | null> => {
    const data = await caller(method, path, body);
    if (!data) return null;
    const m = JSON.parse(data.toString('utf8')) as B2bStoreMerchant;
    return { merchantNo: m.merchantNo, status: m.status, appKeyConfigured: !!m.appKeyConfigured, appKeyConfiguredAt: m.appKeyConfiguredAt ?? null };
  };
  const path = (no: string) => `/v1/b2b-store/merchants/${encodeURIComponent(no)}`;
  return {
    async open(requestNo) {
      const opened = await call('POST', '/v1/b2b-store/merchants', JSON.stringify({ requestNo }));
      if (!opened) throw new ChannelRefusedError('支付渠道未开通门店助手商户', 'NOT_FOUND');
      return opened;
    },
    merchant: (no) => call('GET', path(no)),
    async configureAppKey(no, appKey) {
      const answer = await call('POST', `${path(no)}/app-key`, JSON.stringify({ appKey }));
      if (!answer) throw new ChannelRefusedError('支付商户不存在', 'NOT_FOUND');
      return answer;
    },
  };
}

export function createWeiqifu(opts: ChannelAccount): Weiqifu {
  const call = channelCaller(opts);
  const path = (no: string) => `/v1/weiqifu/merchants/${encodeURIComponent(no)}`;
  const notFound = () => new ChannelRefusedError('微企付商户不存在', 'NOT_FOUND');
  return {
    async open(requestNo) {
      const data = await call('POST', '/v1/weiqifu/merchants', JSON.stringify({ requestNo }));
      if (!data) throw new ChannelRefusedError('支付渠道未开通微企付商户', 'NOT_FOUND');
      return (JSON.parse(data.toString('utf8')) as { merchantNo: string }).merchantNo;
    },
    async balance(no) {
      const data = await call('GET', `${path(no)}/balance`);
      if (!data) return null;
      const b = JSON.parse(data.toString('utf8')) as { merchantNo: string; availableFen: string; frozenFen: string; asOf: string };
      return { merchantNo: b.merchantNo, availableFen: BigInt(b.availableFen), frozenFen: BigInt(b.frozenFen), asOf: b.asOf };
    },
    async dailyBalances(no, from, to) {
      const data = await call('GET', `${path(no)}/daily-balances`, '', `?from=${from}&to=${to}`);
      if (!data) throw notFound();
      const answer = JSON.parse(data.toString('utf8')) as { items: { day: string; balanceFen: string }[] };
      return answer.items.map((i) => ({ day: i.day, balanceFen: BigInt(i.balanceFen) }));
    },
    async file(no, type, day) {
      const data = await call('GET', `${path(no)}/files/${type}/${day}`);
      if (!data) throw notFound();
      return data;
    },
  };
}
