/**
 * The demo data generator of the ledger: orders of every type over the past
 * weeks for an application's members, booked through the same double entry
 * (domain/ledger.ts) into movements, balances and end-of-day snapshots.
 * Deterministic for a seed; volume by `ordersPerDay`. Orders already there
 * without movements (the split demo orders) are booked too.
 */
import { randomUUID } from 'node:crypto';
import { openMemberAccounts, openSystemAccounts } from '../business/accounts';
import type { PrismaClient } from '@prisma/client';
import { systemClock } from '../adapters/clock';
import { type AccountRef, type OrderType, MEMBER_ACCOUNT_KINDS, businessDay, dayStart, postingsFor } from '../../domain/ledger';

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

interface NewOrder {
  id: string;
  orderNo: string;
  bizOrderNo: string;
  type: OrderType;
  status: string;
  receiverMemberId: string;
  payerMemberId: string | null;
  amountFen: number;
  feeFen: number;
  paymentMethod: string | null;
  channelType: string | null;
  cardType: string | null;
  requestSerial: string | null;
  channelSerial: string | null;
  backendSerial: string | null;
  relatedOrderId: string | null;
  payerName: string | null;
  createdAt: Date;
  existing: boolean;
}

export async function seedLedger(
  prisma: PrismaClient,
  opts: { appNo: string; days?: number; ordersPerDay?: number; now?: Date; seed?: number },
): Promise<{ orders: number; movements: number }> {
  const app = await prisma.application.findUniqueOrThrow({ where: { appNo: opts.appNo } });
  if ((await prisma.movement.count({ where: { account: { applicationId: app.id } } })) > 0) return { orders: 0, movements: 0 };
  const members = await prisma.member.findMany({
    where: { applicationId: app.id, status: 'NORMAL' },
    orderBy: { bizUserId: 'asc' },
    select: { id: true, displayName: true },
  });
  if (members.length < 2) return { orders: 0, movements: 0 };
  const rand = prng(opts.seed ?? 20261122);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const now = opts.now ?? systemClock().now();
  const days = opts.days ?? 45;
  const perDay = opts.ordersPerDay ?? Number(process.env.SEED_ORDERS_PER_DAY ?? 30);
  const postSettlement = app.fundMode === 'POST_SETTLEMENT';

  // The accounts: the members' (opened where the flows have not: demo members written straight to
  // the database) and the application's system accounts, through the product's own opening.
  for (const m of members) {
    await openMemberAccounts(prisma, { applicationId: app.id, memberId: m.id, kinds: MEMBER_ACCOUNT_KINDS, agreementId: null });
  }
  await openSystemAccounts(prisma, app.id);
  const accounts = new Map<string, { id: string; balance: bigint; memberId: string | null; kind: string; accountNo: string }>();
  for (const a of await prisma.account.findMany({ where: { applicationId: app.id } })) {
    accounts.set(a.memberId ? `${a.memberId}:${a.kind}` : `sys:${a.kind}`, {
      id: a.id,
      balance: a.balanceFen,
      memberId: a.memberId,
      kind: a.kind,
      accountNo: a.accountNo,
    });
  }
  const keyOf = (ref: AccountRef) => ('system' in ref ? `sys:${ref.system}` : `${ref.memberId}:${ref.kind}`);

  const orders: NewOrder[] = (await prisma.order.findMany({ where: { applicationId: app.id }, orderBy: { createdAt: 'asc' } })).map((o) => ({
    ...o,
    type: o.type as OrderType,
    amountFen: Number(o.amountFen),
    feeFen: Number(o.feeFen),
    existing: true,
  }));
  let n = 0;
  const serial = (prefix: string) => `${prefix}${Date.now().toString(36).toUpperCase()}${String(++n).padStart(7, '0')}`;
  const openGuarantees: NewOrder[] = [];
  const consumptions: NewOrder[] = [];
  const paymentBalance = new Map<string, number>();
  const first = dayStart(businessDay(new Date(now.getTime() - days * 86_400_000)));
  for (let d = 0; d <= days; d++) {
    const start = first.getTime() + d * 86_400_000;
    const times = Array.from({ length: perDay }, () => start + Math.floor(rand() * 86_400_000))
      .filter((t) => t < now.getTime())
      .sort((a, b) => a - b);
    for (const t of times) {
      const roll = rand();
      const member = pick(members);
      let type: OrderType =
        roll < 0.15
          ? 'TOP_UP'
          : roll < 0.55
            ? 'CONSUMPTION'
            : roll < 0.67
              ? 'GUARANTEED_PAYMENT'
              : roll < 0.77
                ? 'GUARANTEE_CONFIRMATION'
                : roll < 0.85
                  ? 'REFUND'
                  : roll < 0.93
                    ? 'WITHDRAWAL'
                    : 'TRANSFER';
      let amountFen = 100 * (1 + Math.floor(rand() * 2000)) + Math.floor(rand() * 100);
      let related: NewOrder | null = null;
      let payer: string | null = null;
      if (type === 'GUARANTEE_CONFIRMATION') {
        related = openGuarantees.shift() ?? null;
        if (!related) type = 'GUARANTEED_PAYMENT';
        else amountFen = related.amountFen;
      }
      if (type === 'REFUND') {
        related = consumptions.length ? consumptions.splice(Math.floor(rand() * consumptions.length), 1)[0]! : null;
        if (!related) type = 'CONSUMPTION';
        else amountFen = Math.max(1, Math.floor(related.amountFen * (0.2 + rand() * 0.8)));
      }
      if (type === 'WITHDRAWAL' || type === 'TRANSFER') {
        const available = paymentBalance.get(member.id) ?? 0;
        if (available < 200) type = 'TOP_UP';
        else amountFen = Math.max(100, Math.floor(available * (0.1 + rand() * 0.5)));
        if (type === 'TRANSFER') {
          payer = member.id;
        }
      }
      const receiver = type === 'TRANSFER' ? pick(members.filter((m) => m.id !== member.id)).id : related ? related.receiverMemberId : member.id;
      const status = type === 'GUARANTEE_CONFIRMATION' || type === 'REFUND' || rand() > 0.04 ? 'SUCCESS' : pick(['FAILED', 'PROCESSING']);
      const card = type === 'TOP_UP' || type === 'CONSUMPTION' || type === 'GUARANTEED_PAYMENT';
      const method = card ? pick(['QUICK_PAY', 'GATEWAY', 'WECHAT', 'ALIPAY']) : type === 'TRANSFER' ? 'BALANCE' : null;
      const order: NewOrder = {
        id: randomUUID(),
        orderNo: serial('YST'),
        bizOrderNo: serial('BIZ'),
        type,
        status,
        receiverMemberId: receiver,
        payerMemberId: payer,
        amountFen,
        feeFen: card ? Math.floor(amountFen * 0.006) : 0,
        paymentMethod: method,
        channelType: card ? pick(['ONLINE', 'POS', 'SCAN']) : null,
        cardType: method === 'QUICK_PAY' || method === 'GATEWAY' ? pick(['DEBIT', 'CREDIT']) : null,
        requestSerial: serial('REQ'),
        channelSerial: card ? serial('CH') : null,
        backendSerial: card ? serial('BK') : null,
        relatedOrderId: related?.id ?? null,
        payerName: card ? '消费者' : null,
        createdAt: new Date(t),
        existing: false,
      };
      orders.push(order);
      if (status === 'SUCCESS') {
        if (type === 'GUARANTEED_PAYMENT') openGuarantees.push(order);
        if (type === 'CONSUMPTION') consumptions.push(order);
        const delta = type === 'TOP_UP' ? amountFen : type === 'WITHDRAWAL' || type === 'TRANSFER' ? -amountFen : 0;
        if (delta) paymentBalance.set(member.id, (paymentBalance.get(member.id) ?? 0) + delta);
        if (type === 'TRANSFER') paymentBalance.set(receiver, (paymentBalance.get(receiver) ?? 0) + amountFen);
      }
    }
  }
  orders.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());

  // Book every order: movements with running balances, and end-of-day snapshots.
  const movements: { id: string; accountId: string; orderId: string; amountFen: number; balanceAfterFen: bigint; bookedAt: Date; businessDay: string }[] = [];
  const snapshots: { accountId: string; day: string; balanceFen: bigint }[] = [];
  let day = businessDay(orders[0]?.createdAt ?? now);
  const snapshot = (d: string) => {
    for (const a of accounts.values()) snapshots.push({ accountId: a.id, day: d, balanceFen: a.balance });
  };
  for (const o of orders) {
    const d = businessDay(o.createdAt);
    while (d > day) {
      snapshot(day);
      day = businessDay(new Date(dayStart(day).getTime() + 36 * 3600 * 1000));
    }
    for (const p of postingsFor(o, postSettlement)) {
      const account = accounts.get(keyOf(p.account))!;
      account.balance += BigInt(p.amountFen);
      movements.push({
        id: randomUUID(),
        accountId: account.id,
        orderId: o.id,
        amountFen: p.amountFen,
        balanceAfterFen: account.balance,
        bookedAt: o.createdAt,
        businessDay: d,
      });
    }
  }
  const today = businessDay(now);
  while (day < today) {
    snapshot(day);
    day = businessDay(new Date(dayStart(day).getTime() + 36 * 3600 * 1000));
  }

  await prisma.$transaction(
    async (tx) => {
      const acc = [...accounts.values()];
      await tx.$executeRaw`
        UPDATE "Account" AS a SET "balanceFen" = v.balance
          FROM unnest(${acc.map((a) => a.id)}::uuid[], ${acc.map((a) => a.balance.toString())}::bigint[]) AS v(id, balance) WHERE a.id = v.id`;
      const fresh = orders.filter((o) => !o.existing);
      for (let i = 0; i < fresh.length; i += 2000) {
        await tx.order.createMany({
          data: fresh.slice(i, i + 2000).map(({ existing: _existing, ...o }) => ({ ...o, applicationId: app.id })),
        });
      }
      for (let i = 0; i < movements.length; i += 5000) {
        const b = movements.slice(i, i + 5000);
        await tx.$executeRaw`
          INSERT INTO "Movement" (id, "accountId", "orderId", "amountFen", "balanceAfterFen", "bookedAt", "businessDay")
          SELECT * FROM unnest(${b.map((m) => m.id)}::uuid[], ${b.map((m) => m.accountId)}::uuid[], ${b.map((m) => m.orderId)}::uuid[],
                               ${b.map((m) => m.amountFen)}::int[], ${b.map((m) => m.balanceAfterFen.toString())}::bigint[],
                               ${b.map((m) => m.bookedAt)}::timestamp[], ${b.map((m) => m.businessDay)}::text[])`;
      }
      for (let i = 0; i < snapshots.length; i += 5000) {
        await tx.dailyBalance.createMany({ data: snapshots.slice(i, i + 5000) });
      }
    },
    { timeout: 120_000 },
  );
  return { orders: orders.length, movements: movements.length };
}
