/**
 * The sandbox's 微企付 (portal manual §1.3.2): per payment merchant a real-time balance, the day's
 * trade and fund files once the day has closed, and the end-of-day balances — a ledger the sandbox
 * derives from the merchant number and the day, so every process and every run sees the same
 * figures. "Today" is the product's clock (TEST_NOW shifts it in the suite's shifted pass).
 */
import { createHash } from 'node:crypto';
import type express from 'express';
import { systemClock } from '../lib/adapters/clock';
import { businessDay, dayStart } from '../domain/ledger';
import { issuedMerchant, mountMerchantOpening } from './merchants';

const DAY_MS = 86_400_000;

/** A stable number from the merchant and what is asked for. */
const figure = (...parts: string[]) => parseInt(createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 8), 16);

/** The end-of-day balance in fen: a walk from 500,000.00 yuan, moved each day by that day's trades. */
function closingFen(no: string, day: string): number {
  return 50_000_000 + (figure(no, 'level') % 20_000_000) + ((figure(no, day, 'close') % 4_000_000) - 2_000_000);
}

/** The day's trades: a handful of payments and refunds, in fen. */
function trades(no: string, day: string) {
  const count = 3 + (figure(no, day, 'count') % 6);
  return Array.from({ length: count }, (_, i) => {
    const refund = figure(no, day, String(i), 'kind') % 7 === 0;
    const amount = 100 + (figure(no, day, String(i), 'amount') % 500_000);
    const at = new Date(dayStart(day).getTime() + ((figure(no, day, String(i), 'time') % 86_000) + i) * 1000);
    return {
      at,
      tradeNo: `${no.slice(3)}${day.replaceAll('-', '')}${String(i + 1).padStart(4, '0')}`,
      kind: refund ? '退款' : '支付',
      amountFen: refund ? -amount : amount,
      feeFen: refund ? 0 : Math.round(amount * 0.003),
    };
  });
}

const yuan = (fen: number) => `${fen < 0 ? '-' : ''}${Math.floor(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;
const shanghaiTime = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
const isDay = (d: unknown): d is string => typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d) && businessDay(dayStart(d)) === d;

export function mountWeiqifu(app: express.Express): void {
  const clock = systemClock();
  const today = () => businessDay(clock.now());
  const merchant = (req: express.Request, res: express.Response): string | null => {
    const no = String(req.params.no);
    if (issuedMerchant('WQF', no)) return no;
    res.status(404).json({ code: 'NOT_FOUND', message: '微企付商户不存在' });
    return null;
  };

  mountMerchantOpening(app, '/v1/weiqifu/merchants', 'WQF', (no) => ({ merchantNo: no, status: 'NORMAL' }));

  app.get('/v1/weiqifu/merchants/:no/balance', (req, res) => {
    const no = merchant(req, res);
    if (!no) return;
    const now = clock.now();
    // Today's trades so far move yesterday's closing balance.
    const day = today();
    const sofar = trades(no, day).filter((t) => t.at <= now);
    const available = closingFen(no, businessDay(new Date(now.getTime() - DAY_MS))) + sofar.reduce((s, t) => s + t.amountFen - t.feeFen, 0);
    const frozen = figure(no, day, 'frozen') % 1_000_000;
    res.json({ merchantNo: no, availableFen: String(available), frozenFen: String(frozen), asOf: now.toISOString() });
  });

  app.get('/v1/weiqifu/merchants/:no/daily-balances', (req, res) => {
    const no = merchant(req, res);
    if (!no) return;
    const { from, to } = req.query;
    if (!isDay(from) || !isDay(to) || from > to) return void res.status(400).json({ code: 'BAD_REQUEST', message: '日期范围不正确' });
    const last = to < today() ? to : businessDay(new Date(dayStart(today()).getTime() - DAY_MS));
    const items: { day: string; balanceFen: string }[] = [];
    for (let t = dayStart(from).getTime(); t <= dayStart(last).getTime() && items.length < 400; t += DAY_MS) {
      const day = businessDay(new Date(t));
      items.push({ day, balanceFen: String(closingFen(no, day)) });
    }
    res.json({ merchantNo: no, items });
  });

  // 交易对账单 (TRADE) and 资金对账单 (FUND) of a closed day, as CSV.
  app.get('/v1/weiqifu/merchants/:no/files/:type/:day', (req, res) => {
    const no = merchant(req, res);
    if (!no) return;
    const { type, day } = req.params;
    if ((type !== 'TRADE' && type !== 'FUND') || !isDay(day)) return void res.status(400).json({ code: 'BAD_REQUEST', message: '文件类型或日期不正确' });
    if (day >= today()) return void res.status(409).json({ code: 'FILE_NOT_READY', message: '该日文件尚未生成（日终后生成）' });
    const list = trades(no, day);
    const lines =
      type === 'TRADE'
        ? [
            ['交易时间', '交易单号', '交易类型', '交易金额（元）', '手续费（元）', '交易状态'],
            ...list.map((t) => [shanghaiTime(t.at), t.tradeNo, t.kind, yuan(t.amountFen), yuan(t.feeFen), '成功']),
          ]
        : (() => {
            const opening = closingFen(no, businessDay(new Date(dayStart(day).getTime() - DAY_MS)));
            const closing = closingFen(no, day);
            const income = list.filter((t) => t.amountFen > 0).reduce((s, t) => s + t.amountFen, 0);
            const fees = list.reduce((s, t) => s + t.feeFen, 0);
            const refunds = list.filter((t) => t.amountFen < 0).reduce((s, t) => s - t.amountFen, 0);
            return [
              ['日期', '期初余额（元）', '交易收入（元）', '退款支出（元）', '手续费（元）', '其他调整（元）', '期末余额（元）'],
              [day, yuan(opening), yuan(income), yuan(refunds), yuan(fees), yuan(closing - opening - income + refunds + fees), yuan(closing)],
            ];
          })();
    res.type('text/csv; charset=utf-8').send(`\uFEFF${lines.map((l) => l.join(',')).join('\r\n')}\r\n`);
  });
}
