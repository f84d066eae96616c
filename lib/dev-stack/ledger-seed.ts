/**
 * The demo history of the ledger: weeks of orders of every kind for an application's members,
 * placed and decided through the product's own services at past instants — placeOrder, the
 * channel's answers through markProcessing/settleOrder (what the paymentOrder flow's activities
 * call), 担保确认 by the platform or automatically after the confirmation period (confirmWhatIsHeld),
 * the T1 settlement of each day (settleForDay) and each day's 期末余额 (writeEndOfDay). So every
 * movement, split row, fee and end-of-day balance is one the product books; nothing is written
 * beside it. Deterministic for a seed (the serial numbers aside); volume by `ordersPerDay`.
 *
 * No flow runs for these orders: the generator plays the channel (success, a decline, or no
 * answer until the order closes after 30 minutes) and confirms every 担保支付 before `now`, so
 * nothing is left waiting for a flow that does not exist.
 */
import type { PrismaClient } from '@prisma/client';
import type pg from 'pg';
import { BusinessError } from '../../domain/errors';
import { MEMBER_ACCOUNT_KINDS, businessDay, dayStart } from '../../domain/ledger';
import { type OrderKind, channelDirection } from '../../domain/orders';
import { openMemberAccounts, openSystemAccounts } from '../business/accounts';
import { nextDay, writeEndOfDay } from '../business/daily-close';
import { type OrderRequest, type OrderRow, confirmWhatIsHeld, markProcessing, placeOrder, settleOrder } from '../business/orders';
import { settleForDay } from '../business/settlement';
import { systemClock } from '../adapters/clock';

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MINUTE = 60_000;
const DAY = 86_400_000;
/** The paymentOrder flow closes an order the channel has not decided after this long. */
const CLOSE_AFTER_MS = 30 * MINUTE;
const CARD_METHODS = ['QUICK_PAY', 'GATEWAY', 'WECHAT', 'ALIPAY'] as const;
const DECLINES = ['银行卡余额不足', '银行卡状态异常，请联系发卡行', '交易金额超过银行卡单笔限额'];

/** Something that happens at an instant of the history; processed in time order. */
interface Event {
  at: number;
  run: () => Promise<void>;
}

export interface LedgerDb {
  prisma: PrismaClient;
  sql: pg.Pool;
}

export async function seedLedger(
  db: LedgerDb,
  opts: { appNo: string; days?: number; ordersPerDay?: number; now?: Date; seed?: number },
): Promise<{ orders: number; movements: number }> {
  const { prisma, sql } = db;
  const app = await prisma.application.findUniqueOrThrow({ where: { appNo: opts.appNo } });
  if ((await prisma.movement.count({ where: { account: { applicationId: app.id } } })) > 0) return { orders: 0, movements: 0 };
  const members = await prisma.member.findMany({
    where: { applicationId: app.id, status: 'NORMAL' },
    orderBy: { bizUserId: 'asc' },
    select: { id: true, bankCards: { select: { id: true }, take: 1 } },
  });
  if (members.length < 2) return { orders: 0, movements: 0 };
  const ordersBefore = await prisma.order.count({ where: { applicationId: app.id } });
  const rand = prng(opts.seed ?? 20261122);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const now = (opts.now ?? systemClock().now()).getTime();
  const days = opts.days ?? 45;
  const perDay = opts.ordersPerDay ?? Number(process.env.SEED_ORDERS_PER_DAY ?? 30);
  const first = dayStart(businessDay(new Date(now - days * DAY))).getTime();

  // Members written straight to the database (the demo's and the tests') get the accounts the
  // flows would have opened; the history presupposes them open from its first day, so the
  // daily close writes their balances for every day of it.
  for (const m of members) {
    await openMemberAccounts(sql, { applicationId: app.id, memberId: m.id, kinds: MEMBER_ACCOUNT_KINDS, agreementId: null });
  }
  await openSystemAccounts(sql, app.id);
  await sql.query(`UPDATE "Account" SET "createdAt" = $2 WHERE "applicationId" = $1::uuid AND "createdAt" > $2`, [
    app.id,
    new Date(first).toISOString().replace('Z', ''),
  ]);

  const available = async (memberId: string): Promise<number> => {
    const { rows } = await sql.query<{ n: string }>(
      `SELECT ("balanceFen" - "reservedFen")::text AS n FROM "Account" WHERE "applicationId" = $1::uuid AND "memberId" = $2::uuid AND kind = 'PAYMENT'`,
      [app.id, memberId],
    );
    return Number(rows[0]?.n ?? 0);
  };

  const events: Event[] = [];
  const schedule = (e: Event) => {
    if (e.at >= now) return;
    let lo = 0;
    let hi = events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (events[mid]!.at <= e.at) lo = mid + 1;
      else hi = mid;
    }
    events.splice(lo, 0, e);
  };

  let n = 0;
  const serial = (prefix: string, at: number) => `${prefix}${at.toString(36).toUpperCase()}${String(++n).padStart(6, '0')}`;
  const consumptions: OrderRow[] = [];

  /** Places an order at `at`; a refusal (balance, refund limit) is what the product would answer: nothing happens. */
  const place = async (r: Omit<OrderRequest, 'bizOrderNo'>, at: number): Promise<OrderRow | null> => {
    try {
      const placed = await placeOrder(sql, app.id, { ...r, bizOrderNo: serial('BIZ', at) }, new Date(at), () => null);
      return placed.order;
    } catch (err) {
      if (err instanceof BusinessError) return null;
      throw err;
    }
  };

  /** The channel's part for a card order: taken at once, decided seconds later — or never, and closed. */
  const throughChannel = async (o: OrderRow, at: number): Promise<OrderRow['status']> => {
    const card = o.paymentMethod === 'QUICK_PAY' || o.paymentMethod === 'GATEWAY';
    await markProcessing(
      sql,
      o.id,
      { channelSerial: serial('CH', at), channelType: 'ONLINE', cardType: card ? pick(['DEBIT', 'CREDIT'] as const) : null },
      `REQ${o.orderNo.slice(3)}`,
    );
    const roll = rand();
    const decidedAt = new Date(at + 2_000 + Math.floor(rand() * 8_000));
    if (roll < 0.95) return settleOrder(sql, o.id, { status: 'SUCCESS', backendSerial: serial('BK', at) }, decidedAt);
    if (roll < 0.99) return settleOrder(sql, o.id, { status: 'FAILED', failureReason: pick(DECLINES) }, decidedAt);
    return settleOrder(sql, o.id, { status: 'CLOSED' }, new Date(at + CLOSE_AFTER_MS));
  };

  const decided = async (o: OrderRow | null, at: number): Promise<OrderRow['status'] | null> => {
    if (!o) return null;
    return o.status === 'CREATED' && channelDirection({ kind: o.type, paymentMethod: o.paymentMethod }) ? throughChannel(o, at) : o.status;
  };

  /** A 担保支付's end: confirmed by the platform within the period, or automatically at its end. */
  const confirmLater = (payment: OrderRow, at: number) => {
    const period = app.guaranteeConfirmDays * DAY;
    const end = at + period;
    // Seven in ten are confirmed by the platform within the period; the rest at its end, by the flow.
    const automatic = rand() >= 0.7 && end < now;
    // Never before the payment was decided (seconds after it was placed).
    const when = automatic ? end : Math.min(now - 1, at + MINUTE + Math.floor(rand() * Math.max(0, Math.min(period, now - at) - MINUTE)));
    schedule({
      at: when,
      run: async () => {
        if (automatic) await confirmWhatIsHeld(sql, payment.id, new Date(when));
        else
          await place(
            { kind: 'GUARANTEE_CONFIRMATION', amountFen: Number(payment.amountFen), receiverMemberId: payment.receiverMemberId, originalOrderId: payment.id },
            when,
          );
      },
    });
  };

  const amount = () => 100 * (1 + Math.floor(rand() * 2000)) + Math.floor(rand() * 100);

  const order = async (at: number) => {
    const roll = rand();
    const member = pick(members);
    let kind: OrderKind =
      roll < 0.15 ? 'TOP_UP' : roll < 0.6 ? 'CONSUMPTION' : roll < 0.72 ? 'GUARANTEED_PAYMENT' : roll < 0.8 ? 'REFUND' : roll < 0.9 ? 'WITHDRAWAL' : 'TRANSFER';
    if (kind === 'REFUND') {
      const original = consumptions.length ? consumptions.splice(Math.floor(rand() * consumptions.length), 1)[0]! : null;
      if (original) {
        const refund = await place(
          {
            kind: 'REFUND',
            amountFen: Math.max(1, Math.floor(Number(original.amountFen) * (0.2 + rand() * 0.8))),
            receiverMemberId: original.receiverMemberId,
            originalOrderId: original.id,
          },
          at,
        );
        await decided(refund, at);
        return;
      }
      kind = 'CONSUMPTION';
    }
    if (kind === 'WITHDRAWAL' || kind === 'TRANSFER') {
      const card = member.bankCards[0]?.id ?? null;
      const balance = await available(member.id);
      if (balance >= 200 && (kind === 'TRANSFER' || card)) {
        const amountFen = Math.max(100, Math.floor(balance * (0.1 + rand() * 0.5)));
        const receiver = kind === 'TRANSFER' ? pick(members.filter((m) => m.id !== member.id)).id : member.id;
        const o = await place(
          kind === 'TRANSFER'
            ? { kind, amountFen, receiverMemberId: receiver, payerMemberId: member.id, paymentMethod: 'BALANCE' }
            : { kind, amountFen, receiverMemberId: member.id, cardId: card },
          at,
        );
        await decided(o, at);
        return;
      }
      kind = 'TOP_UP';
    }
    if (kind === 'TOP_UP') {
      await decided(await place({ kind, amountFen: amount(), receiverMemberId: member.id, paymentMethod: pick(CARD_METHODS) }, at), at);
      return;
    }
    // 消费 and 担保支付: by card, or now and then from another member's balance.
    const amountFen = amount();
    const payer = pick(members.filter((m) => m.id !== member.id));
    const fromBalance = rand() < 0.15 && (await available(payer.id)) >= amountFen;
    const o = await place(
      fromBalance
        ? { kind, amountFen, receiverMemberId: member.id, payerMemberId: payer.id, paymentMethod: 'BALANCE' }
        : { kind, amountFen, receiverMemberId: member.id, paymentMethod: pick(CARD_METHODS) },
      at,
    );
    if ((await decided(o, at)) !== 'SUCCESS') return;
    if (kind === 'CONSUMPTION') consumptions.push(o!);
    else confirmLater(o!, at);
  };

  const t1 = app.fundMode === 'POST_SETTLEMENT' && app.settlementMode === 'T1';
  for (let d = 0; d <= days; d++) {
    const start = first + d * DAY;
    // The daily settlement flow's run (00:30 Shanghai), before the day's orders.
    if (t1)
      schedule({
        at: start + 30 * MINUTE,
        run: async () => void (await settleForDay(sql, businessDay(new Date(start)), new Date(start + 30 * MINUTE), { applicationId: app.id })),
      });
    for (let i = 0; i < perDay; i++) {
      const at = start + 31 * MINUTE + Math.floor(rand() * (DAY - 31 * MINUTE));
      schedule({ at, run: () => order(at) });
    }
  }
  // Events scheduled while running (confirmations) join the queue in time order.
  while (events.length > 0) await events.shift()!.run();

  // 期末余额 of every day of the history before today, oldest first, as the daily close writes them.
  const today = businessDay(new Date(now));
  for (let day = businessDay(new Date(first)); day < today; day = nextDay(day)) {
    const closed = await writeEndOfDay(sql, day, app.id);
    if (closed.mismatches > 0) throw new Error(`demo history: ${closed.mismatches} end-of-day balances of ${day} differ from their movements`);
  }
  const movements = await prisma.movement.count({ where: { account: { applicationId: app.id } } });
  return { orders: (await prisma.order.count({ where: { applicationId: app.id } })) - ordersBefore, movements };
}
