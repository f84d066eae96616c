/**
 * The payment channel (收单渠道) adapter: money in (COLLECT: 充值, 消费 paid by card), out
 * (PAYOUT: 提现 to a verified card) and back (REFUND: 退款 to the card a consumption was paid with) goes through an acquirer that answers PROCESSING and decides
 * later. The product sends, queries and closes; serial numbers come from the channel. Requests are
 * signed with the merchant key (HMAC-SHA256 over method, path and body); the local sandbox
 * (dev-channel/) speaks the same protocol.
 */
import { createHmac } from 'node:crypto';

export type ChannelStatus = 'PROCESSING' | 'SUCCESS' | 'FAILED' | 'CLOSED';

export interface ChannelResult {
  merchantOrderNo: string;
  status: ChannelStatus;
  channelType?: string | null;
  cardType?: string | null;
  channelSerial: string;
  backendSerial: string | null;
  failureReason: string | null;
}

export interface ChannelRequest {
  /** Our order number (云商通订单号): the channel's idempotency key. */
  merchantOrderNo: string;
  /** DEPOSIT: 打款验证, a few fen to a corporate account being verified (its number in cardNumber). */
  kind: 'COLLECT' | 'PAYOUT' | 'REFUND' | 'DEPOSIT';
  amountFen: bigint;
  paymentMethod: string | null;
  /** PAYOUT: the verified card the money goes to (its number is sent to the channel, never logged). */
  cardNumber?: string;
}

export interface PaymentChannel {
  submit(req: ChannelRequest): Promise<ChannelResult>;
  /** null: the channel never received it. */
  query(merchantOrderNo: string): Promise<ChannelResult | null>;
  close(merchantOrderNo: string): Promise<ChannelResult | null>;
}

/** The channel could not be reached or answered with a fault: the caller retries. */
export class ChannelUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChannelUnavailableError';
  }
}

export interface ChannelAccount {
  url: string;
  merchantId: string;
  key: string;
  timeoutMs?: number;
}

/**
 * One request to the channel, signed with the merchant key over method, path (without the query) and
 * body. Not reaching the channel is a ChannelUnavailableError; the caller reads the answer.
 */
export async function channelRequest(account: ChannelAccount, method: 'GET' | 'POST', path: string, body = '', query = ''): Promise<Response> {
  const signature = createHmac('sha256', account.key).update(`${method}\n${path}\n${body}`).digest('hex');
  try {
    return await fetch(account.url + path + query, {
      method,
      headers: { 'content-type': 'application/json', 'x-channel-merchant': account.merchantId, 'x-channel-signature': signature },
      body: method === 'POST' ? body : undefined,
      signal: AbortSignal.timeout(account.timeoutMs ?? 5_000),
    });
  } catch (err) {
    throw new ChannelUnavailableError(`支付渠道不可达：${err instanceof Error ? err.message : String(err)}`);
  }
}

export function createPaymentChannel(opts: ChannelAccount): PaymentChannel {
  const call = async (method: 'GET' | 'POST', path: string, body = ''): Promise<ChannelResult | null> => {
    const res = await channelRequest(opts, method, path, body);
    if (res.status === 404) return null;
    const text = await res.text();
    if (!res.ok) {
      if (res.status >= 500) throw new ChannelUnavailableError(`支付渠道故障（HTTP ${res.status}）`);
      throw new Error(`支付渠道拒绝请求（HTTP ${res.status}）：${text.slice(0, 200)}`);
    }
    const t = JSON.parse(text) as ChannelResult;
    return {
      merchantOrderNo: t.merchantOrderNo,
      status: t.status,
      channelType: t.channelType ?? null,
      cardType: t.cardType ?? null,
      channelSerial: t.channelSerial,
      backendSerial: t.backendSerial,
      failureReason: t.failureReason,
    };
  };
  return {
    async submit(req) {
      const body = JSON.stringify({
        merchantOrderNo: req.merchantOrderNo,
        kind: req.kind,
        amountFen: req.amountFen.toString(),
        method: req.paymentMethod,
        cardNumber: req.cardNumber,
      });
      const answer = await call('POST', '/v1/transactions', body);
      if (!answer) throw new ChannelUnavailableError('支付渠道未受理');
      return answer;
    },
    query: (no) => call('GET', `/v1/transactions/${encodeURIComponent(no)}`),
    close: (no) => call('POST', `/v1/transactions/${encodeURIComponent(no)}/close`),
  };
}
