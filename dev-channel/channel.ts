/**
 * The sandbox payment channel: a local HTTP server that behaves like the acquirer behind the
 * product's channel adapter (lib/adapters/payment-channel.ts), started by `npm start` and the tests.
 * Like a real acquirer it answers a new transaction with PROCESSING and its own serial numbers,
 * and decides it later, asynchronously; the product learns the result by querying (and may close a
 * transaction still undecided). Requests are signed with the merchant key (HMAC-SHA256).
 *
 * Outcomes in the sandbox are chosen by the amount's last two fen digits (README, 支付渠道沙箱):
 *   …44 → FAILED 持卡人余额不足      …66 → FAILED 银行卡状态异常
 *   …99 → never decided (stays PROCESSING until closed: the product's timeout path)
 *   anything else → SUCCESS, `resultDelayMs` after it was received.
 * A DEPOSIT (打款验证: a few fen to a corporate account being verified) is decided by the account
 * instead: an account number ending 0044 → FAILED 收款账户不存在或户名不符, any other → SUCCESS.
 * What arrived on the accounts shows on `GET /sandbox/statement` (沙箱对公户入账流水, unsigned like
 * the dev outbox): in production the enterprise reads the amount on its bank statement; in the
 * sandbox nobody else could know it.
 */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { mountWeiqifu } from './weiqifu';
import { issuedMerchant, mountMerchantOpening } from './merchants';

export type ChannelStatus = 'PROCESSING' | 'SUCCESS' | 'FAILED' | 'CLOSED';

export interface ChannelTransaction {
  merchantOrderNo: string;
  kind: 'COLLECT' | 'PAYOUT' | 'REFUND' | 'DEPOSIT';
  amountFen: string;
  status: ChannelStatus;
  /** How the money moved: 线上交易 for orders the platform makes; the card's kind for card payments. */
  channelType: 'ONLINE';
  cardType: 'DEBIT' | 'CREDIT' | null;
  channelSerial: string;
  backendSerial: string | null;
  failureReason: string | null;
  receivedAt: string;
  finishedAt: string | null;
}

/** One line of the sandbox's bank statement: a deposit that arrived on a corporate account. */
export interface StatementLine {
  /** The account's last four digits, as a bank statement shows it. */
  accountTail: string;
  amountFen: string;
  depositNo: string;
  arrivedAt: string;
}

export interface SandboxChannel {
  url: string;
  statement(): StatementLine[];
  transactions(): ChannelTransaction[];
  /** While held, new transactions stay undecided (PROCESSING); releasing decides them. */
  holdDecisions(held: boolean): void;
  stop(): Promise<void>;
}

/** What the sandbox keeps in its state file. */
interface SandboxState {
  transactions: (ChannelTransaction & { body: string })[];
  statement: StatementLine[];
  b2bAppKeys: Record<string, { configuredAt: string }>;
}

/** The state a previous run left (none on a first start). */
function readState(file: string): SandboxState | null {
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as SandboxState;
}

/** The base string both sides sign: method, path and body, one per line. */
export function channelSignature(key: string, method: string, path: string, body: string): string {
  return createHmac('sha256', key).update(`${method}\n${path}\n${body}`).digest('hex');
}

const OUTCOMES: Record<string, { status: 'FAILED'; reason: string } | { status: 'PROCESSING' }> = {
  '44': { status: 'FAILED', reason: '持卡人余额不足' },
  '66': { status: 'FAILED', reason: '银行卡状态异常' },
  '99': { status: 'PROCESSING' },
};

export async function startSandboxChannel(opts: {
  port: number;
  merchantId: string;
  key: string;
  host?: string;
  resultDelayMs?: number;
  /**
   * Where the sandbox keeps what it knows (transactions, the bank statement, configured AppKeys) across
   * restarts, as the real channel does; undecided transactions are decided after a restart. None: memory only.
   */
  stateFile?: string;
}): Promise<SandboxChannel> {
  const host = opts.host ?? '127.0.0.1';
  const delay = opts.resultDelayMs ?? 300;
  const byOrder = new Map<string, ChannelTransaction & { body: string }>();
  const timers = new Set<NodeJS.Timeout>();
  let serial = 0;
  const serialOf = (prefix: string) => `${prefix}${Date.now().toString(36).toUpperCase()}${String(++serial).padStart(6, '0')}${randomInt(10)}`;

  const statement: StatementLine[] = [];
  // 小程序B2B门店助手 (portal manual §1.3.1): the AppKey configured per payment merchant the channel opened.
  const b2bAppKeys = new Map<string, { configuredAt: string }>();

  const state = opts.stateFile ? readState(opts.stateFile) : null;
  for (const t of state?.transactions ?? []) byOrder.set(t.merchantOrderNo, t);
  statement.push(...(state?.statement ?? []));
  for (const [no, k] of Object.entries(state?.b2bAppKeys ?? {})) b2bAppKeys.set(no, k);
  /** Written after every change, whole (the sandbox's state is small): a restart finds it as it was. */
  const save = () => {
    if (!opts.stateFile) return;
    const tmp = `${opts.stateFile}.tmp`;
    writeFileSync(tmp, JSON.stringify({ transactions: [...byOrder.values()], statement, b2bAppKeys: Object.fromEntries(b2bAppKeys) } satisfies SandboxState));
    renameSync(tmp, opts.stateFile);
  };

  /** A transaction's decision after the sandbox's delay (amounts ending 99 stay undecided until closed). */
  let held = false;
  const heldBack: (ChannelTransaction & { body: string })[] = [];
  const decideLater = (t: ChannelTransaction & { body: string }) => {
    if (held) return void heldBack.push(t);
    const input = JSON.parse(t.body) as { cardNumber?: unknown };
    const outcome =
      t.kind === 'DEPOSIT'
        ? String(input.cardNumber ?? '').endsWith('0044')
          ? ({ status: 'FAILED', reason: '收款账户不存在或户名不符' } as const)
          : undefined
        : OUTCOMES[t.amountFen.slice(-2)];
    if (outcome?.status === 'PROCESSING') return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (t.status !== 'PROCESSING') return;
      t.status = outcome ? 'FAILED' : 'SUCCESS';
      t.failureReason = outcome?.status === 'FAILED' ? outcome.reason : null;
      t.backendSerial = outcome ? null : serialOf('BK');
      t.finishedAt = new Date().toISOString();
      if (t.kind === 'DEPOSIT' && t.status === 'SUCCESS')
        statement.push({
          accountTail: String(input.cardNumber ?? '').slice(-4),
          amountFen: t.amountFen,
          depositNo: t.merchantOrderNo,
          arrivedAt: t.finishedAt,
        });
      save();
    }, delay);
    timers.add(timer);
  };
  for (const t of byOrder.values()) if (t.status === 'PROCESSING') decideLater(t);
  const escape = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

  const app = express();
  // The sandbox's bank statement is read by people in a browser: no merchant signature.
  app.get('/sandbox/statement', (req, res) => {
    const lines = [...statement].reverse();
    if (req.accepts(['html', 'json']) === 'json') return void res.json({ lines });
    const rows = lines
      .map(
        (l) =>
          `<tr><td>${escape(new Date(l.arrivedAt).toLocaleString('zh-CN', { hour12: false }))}</td><td>****${escape(l.accountTail)}</td><td>${(Number(l.amountFen) / 100).toFixed(2)}</td><td>${escape(l.depositNo)}</td></tr>`,
      )
      .join('');
    res
      .type('html')
      .send(
        `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>沙箱对公户入账流水</title>` +
          `<body style="font-family:sans-serif;margin:24px"><h2>沙箱对公户入账流水</h2>` +
          `<p>沙箱支付渠道向对公户的小额打款（仅沙箱可见；生产环境中企业在本行对公账户流水中查看入账金额）。</p>` +
          `<table border="1" cellpadding="6" style="border-collapse:collapse"><thead><tr><th>入账时间</th><th>收款账户</th><th>金额（元）</th><th>打款编号</th></tr></thead>` +
          `<tbody>${rows || '<tr><td colspan="4">暂无入账</td></tr>'}</tbody></table></body></html>`,
      );
  });
  app.use(express.text({ type: '*/*', limit: '64kb' }));
  // Every request carries the merchant and its signature over method, path and body.
  app.use((req, res, next) => {
    const body = typeof req.body === 'string' ? req.body : '';
    const expected = channelSignature(opts.key, req.method, req.path, body);
    const given = String(req.get('x-channel-signature') ?? '');
    const ok =
      req.get('x-channel-merchant') === opts.merchantId && given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
    if (!ok) return void res.status(401).json({ code: 'SIGNATURE_INVALID', message: '签名校验失败' });
    next();
  });

  const view = ({ body: _body, ...t }: ChannelTransaction & { body: string }): ChannelTransaction => t;

  app.post('/v1/transactions', (req, res) => {
    let input: { merchantOrderNo?: unknown; kind?: unknown; amountFen?: unknown; method?: unknown; cardNumber?: unknown };
    try {
      input = JSON.parse(String(req.body)) as typeof input;
    } catch {
      return void res.status(400).json({ code: 'BAD_REQUEST', message: '请求体不是 JSON' });
    }
    const { merchantOrderNo, kind, amountFen } = input;
    if (
      typeof merchantOrderNo !== 'string' ||
      !/^[A-Za-z0-9_:-]{1,64}$/.test(merchantOrderNo) ||
      (kind !== 'COLLECT' && kind !== 'PAYOUT' && kind !== 'REFUND' && kind !== 'DEPOSIT')
    ) {
      return void res.status(400).json({ code: 'BAD_REQUEST', message: 'merchantOrderNo 或 kind 不正确' });
    }
    if (typeof amountFen !== 'string' || !/^[1-9]\d{0,15}$/.test(amountFen)) return void res.status(400).json({ code: 'BAD_REQUEST', message: '金额不正确' });
    const existing = byOrder.get(merchantOrderNo);
    if (existing) {
      // The same transaction sent again (a retry) gets the same answer; a different one with its number is refused.
      if (existing.body !== req.body) return void res.status(409).json({ code: 'DUPLICATE_ORDER', message: '商户订单号重复' });
      return void res.json(view(existing));
    }
    const t: ChannelTransaction & { body: string } = {
      merchantOrderNo,
      kind,
      amountFen,
      status: 'PROCESSING',
      channelType: 'ONLINE',
      // Card payments: a debit card unless the amount's last fen digit is odd (credit) — so both show in the sandbox.
      cardType: input.method === 'QUICK_PAY' || input.method === 'GATEWAY' ? (Number(amountFen.slice(-1)) % 2 ? 'CREDIT' : 'DEBIT') : null,
      channelSerial: serialOf('CH'),
      backendSerial: null,
      failureReason: null,
      receivedAt: new Date().toISOString(),
      finishedAt: null,
      body: String(req.body),
    };
    byOrder.set(merchantOrderNo, t);
    save();
    decideLater(t);
    res.json(view(t));
  });

  app.get('/v1/transactions/:no', (req, res) => {
    const t = byOrder.get(req.params.no);
    if (!t) return void res.status(404).json({ code: 'NOT_FOUND', message: '交易不存在' });
    res.json(view(t));
  });

  // Closing an undecided transaction: it will never succeed afterwards. A decided one stays as it is.
  app.post('/v1/transactions/:no/close', (req, res) => {
    const t = byOrder.get(req.params.no);
    if (!t) return void res.status(404).json({ code: 'NOT_FOUND', message: '交易不存在' });
    if (t.status === 'PROCESSING') {
      t.status = 'CLOSED';
      t.finishedAt = new Date().toISOString();
      save();
    }
    res.json(view(t));
  });

  mountWeiqifu(app);

  // 小程序B2B门店助手 (portal manual §1.3.1): the payment merchants the channel opened for the
  // store assistant, each with the WeChat mini program's AppKey the channel signs B2B payments with.
  const b2bMerchant = (no: string) => ({
    merchantNo: no,
    status: 'NORMAL' as const,
    appKeyConfigured: b2bAppKeys.has(no),
    appKeyConfiguredAt: b2bAppKeys.get(no)?.configuredAt ?? null,
  });
  mountMerchantOpening(app, '/v1/b2b-store/merchants', 'B2B', b2bMerchant);
  app.get('/v1/b2b-store/merchants/:no', (req, res) => {
    if (!issuedMerchant('B2B', req.params.no)) return void res.status(404).json({ code: 'NOT_FOUND', message: '支付商户不存在' });
    res.json(b2bMerchant(req.params.no));
  });
  app.post('/v1/b2b-store/merchants/:no/app-key', (req, res) => {
    if (!issuedMerchant('B2B', req.params.no)) return void res.status(404).json({ code: 'NOT_FOUND', message: '支付商户不存在' });
    let appKey: unknown;
    try {
      appKey = (JSON.parse(String(req.body)) as { appKey?: unknown }).appKey;
    } catch {
      return void res.status(400).json({ code: 'BAD_REQUEST', message: '请求格式错误' });
    }
    // WeChat's B2B AppKey: 32 letters and digits, from the mini program's 门店助手 settings.
    if (typeof appKey !== 'string' || !/^[A-Za-z0-9]{32}$/.test(appKey))
      return void res.status(400).json({ code: 'APP_KEY_INVALID', message: 'appkey 须为32位字母或数字' });
    b2bAppKeys.set(req.params.no, { configuredAt: new Date().toISOString() });
    save();
    res.json(b2bMerchant(req.params.no));
  });

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(opts.port, host, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    transactions: () => [...byOrder.values()].map(view),
    statement: () => [...statement],
    holdDecisions(on) {
      held = on;
      if (!on) for (const t of heldBack.splice(0)) decideLater(t);
    },
    async stop() {
      for (const t of timers) clearTimeout(t);
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
