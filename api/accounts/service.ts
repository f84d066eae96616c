/**
 * 账户管理: 会员账户查询 (簿记账户, 支付账户, 待结算户 with balances), 账户明细查询
 * with export (≤ 10,000 rows, streamed, the filter in the file), 期末余额查询.
 */
import type { Writable } from 'node:stream';
import type { Account, Prisma } from '@prisma/client';
import { BusinessError } from '../../domain/errors';
import {
  ACCOUNT_KIND_LABELS,
  type AccountKind,
  ORDER_STATUS_LABELS,
  ORDER_TYPE_LABELS,
  type OrderType,
  PAYMENT_METHOD_LABELS,
  businessDay,
  fenNumber,
  label,
  yuan,
  shanghaiDateTime,
} from '../../domain/ledger';
import { writeXlsx } from '../../lib/formats/spreadsheets';
import type { Actor, AppDeps } from '../context';
import { applicationScope } from '../context';
import { pageOf, pageWindow } from '../pagination';
import { dayRange } from '../time-range';

export const MAX_EXPORT_ROWS = 10_000;

interface ExportRow {
  id: string;
  bookedAt: Date;
  amountFen: bigint;
  balanceAfterFen: bigint;
  orderNo: string;
  bizOrderNo: string;
  type: string;
}
const now = (deps: AppDeps) => deps.services.clock.now();

/** An account of the application's members, or — for a member in 会员门户 — one of its own. */
async function findAccount(deps: AppDeps, actor: Actor, id: string) {
  if (actor.role === 'MEMBER' && !actor.memberId) throw new BusinessError('auth.forbidden');
  const where = actor.role === 'MEMBER' ? { id, memberId: actor.memberId! } : { id, applicationId: applicationScope(actor), memberId: { not: null } };
  const a = await deps.services.prisma.account.findFirst({ where });
  if (!a) throw new BusinessError('account.not_found');
  const member = await deps.services.prisma.member.findUnique({ where: { id: a.memberId! }, select: { displayName: true, bizUserId: true } });
  return { account: a, member };
}

function accountView(a: Account, member: { displayName: string; bizUserId: string } | null) {
  return {
    id: a.id,
    accountNo: a.accountNo,
    kind: a.kind,
    kindLabel: ACCOUNT_KIND_LABELS[a.kind as AccountKind],
    balanceFen: a.balanceFen.toString(),
    balance: yuan(a.balanceFen),
    member,
  };
}

export async function listAccounts(deps: AppDeps, actor: Actor, input: { bizUserId?: string; kind?: string; page: number; pageSize: number }) {
  const { prisma } = deps.services;
  const applicationId = applicationScope(actor);
  let memberIds: string[] | undefined;
  if (input.bizUserId) {
    memberIds = (await prisma.member.findMany({ where: { applicationId, bizUserId: { contains: input.bizUserId } }, select: { id: true }, take: 500 })).map(
      (m) => m.id,
    );
  }
  const where: Prisma.AccountWhereInput = {
    applicationId,
    memberId: memberIds ? { in: memberIds } : { not: null },
    ...(input.kind ? { kind: input.kind } : {}),
  };
  const [total, rows] = await Promise.all([
    prisma.account.count({ where }),
    prisma.account.findMany({ where, orderBy: [{ accountNo: 'asc' }], ...pageWindow(input) }),
  ]);
  const members = new Map(
    (await prisma.member.findMany({ where: { id: { in: rows.map((r) => r.memberId!) } }, select: { id: true, displayName: true, bizUserId: true } })).map(
      (m) => [m.id, m],
    ),
  );
  return pageOf(input, total, rows, (a) => accountView(a, members.get(a.memberId!) ?? null));
}

function movementWhere(accountId: string, start: Date, end: Date): Prisma.MovementWhereInput {
  return { accountId, bookedAt: { gte: start, lt: end } };
}

export async function listMovements(deps: AppDeps, actor: Actor, id: string, input: { from?: string; to?: string; page: number; pageSize: number }) {
  const { account, member } = await findAccount(deps, actor, id);
  const range = dayRange(input.from, input.to, now(deps));
  const where = movementWhere(account.id, range.start, range.end);
  const { prisma } = deps.services;
  const [total, rows] = await Promise.all([
    prisma.movement.count({ where }),
    prisma.movement.findMany({ where, orderBy: { seq: 'desc' }, ...pageWindow(input), include: { order: true } }),
  ]);
  return {
    ...pageOf(input, total, rows, movementRow),
    account: accountView(account, member),
    range: { from: range.from, to: range.to },
  };
}

function movementRow(m: Prisma.MovementGetPayload<{ include: { order: true } }>) {
  const t = ORDER_TYPE_LABELS[m.order.type as OrderType];
  return {
    id: m.id,
    bookedAt: m.bookedAt.toISOString(),
    orderId: m.orderId,
    orderNo: m.order.orderNo,
    bizOrderNo: m.order.bizOrderNo,
    typeLabel: t ? `${t.type}-${t.subtype}` : m.order.type,
    direction: m.amountFen >= 0 ? '收入' : '支出',
    amountFen: fenNumber(m.amountFen),
    balanceAfterFen: m.balanceAfterFen.toString(),
  };
}

/** 导出: the filtered movements as XLSX, at most 10,000 rows, with the filter at the top of the sheet. */
export async function exportMovements(
  deps: AppDeps,
  actor: Actor,
  id: string,
  input: { from?: string; to?: string },
  out: Writable,
  onReady: (name: string) => void,
) {
  const { account, member } = await findAccount(deps, actor, id);
  const range = dayRange(input.from, input.to, now(deps));
  const { prisma } = deps.services;
  // One statement reads the rows (at most 10,000, so one page); one more row tells the limit is passed.
  const rows = await prisma.$queryRaw<ExportRow[]>`
    SELECT m.id, m."bookedAt", m."amountFen", m."balanceAfterFen", o."orderNo", o."bizOrderNo", o.type
    FROM "Movement" m JOIN "Order" o ON o.id = m."orderId"
    WHERE m."accountId" = ${account.id}::uuid AND m."bookedAt" >= ${range.start} AND m."bookedAt" < ${range.end}
    ORDER BY m.seq LIMIT ${MAX_EXPORT_ROWS + 1}`;
  if (rows.length > MAX_EXPORT_ROWS) {
    const count = await prisma.movement.count({ where: movementWhere(account.id, range.start, range.end) });
    throw new BusinessError('export.too_many', `筛选结果共 ${count} 条，单次最多导出 ${MAX_EXPORT_ROWS} 条，请缩小日期区间`, { count, max: MAX_EXPORT_ROWS });
  }
  function* cells() {
    for (const m of rows) {
      const t = ORDER_TYPE_LABELS[m.type as OrderType];
      yield [
        shanghaiDateTime(m.bookedAt),
        m.orderNo,
        m.bizOrderNo,
        t ? `${t.type}-${t.subtype}` : m.type,
        m.amountFen >= 0 ? '收入' : '支出',
        yuan(m.amountFen),
        yuan(m.balanceAfterFen),
      ];
    }
  }
  onReady(`账户明细-${account.accountNo}-${range.from}至${range.to}.xlsx`);
  await writeXlsx(out, '账户明细', ['交易时间', '云商通订单号', '商户订单号', '订单类型', '收支方向', '发生额(元)', '余额(元)'], cells(), [
    ['账户明细导出'],
    [
      '账户',
      `${account.accountNo}（${ACCOUNT_KIND_LABELS[account.kind as AccountKind]}）`,
      '会员',
      member ? `${member.displayName}（${member.bizUserId}）` : '-',
    ],
    ['日期区间', `${range.from} 至 ${range.to}`, '记录数', rows.length],
    ['导出时间', `${businessDay(now(deps))}`],
    [],
  ]);
}

/** 期末余额查询: end-of-day balances of an account. */
export async function listDailyBalances(deps: AppDeps, actor: Actor, id: string, input: { from?: string; to?: string; page: number; pageSize: number }) {
  const { account, member } = await findAccount(deps, actor, id);
  const range = dayRange(input.from, input.to, now(deps));
  const where = { accountId: account.id, day: { gte: range.from, lte: range.to } };
  const { prisma } = deps.services;
  const [total, rows] = await Promise.all([
    prisma.dailyBalance.count({ where }),
    prisma.dailyBalance.findMany({ where, orderBy: { day: 'desc' }, ...pageWindow(input) }),
  ]);
  return {
    ...pageOf(input, total, rows, (d) => ({ day: d.day, balanceFen: d.balanceFen.toString(), balance: yuan(d.balanceFen) })),
    account: accountView(account, member),
  };
}

/**
 * 查看详情: the order behind one movement of the account (账户明细), with the movements it booked
 * on this account. A member sees it for its own accounts only; nothing of the other parties' accounts.
 */
export async function movementOrder(deps: AppDeps, actor: Actor, accountId: string, movementId: string) {
  const { account } = await findAccount(deps, actor, accountId);
  const { prisma } = deps.services;
  const movement = await prisma.movement.findFirst({ where: { id: movementId, accountId: account.id }, include: { order: true } });
  if (!movement) throw new BusinessError('resource.not_found', '账户明细不存在');
  const o = movement.order;
  const t = ORDER_TYPE_LABELS[o.type as OrderType];
  const related = o.relatedOrderId ? await prisma.order.findUnique({ where: { id: o.relatedOrderId }, select: { orderNo: true, bizOrderNo: true } }) : null;
  const own = await prisma.movement.findMany({ where: { orderId: o.id, accountId: account.id }, orderBy: { seq: 'asc' } });
  return {
    orderNo: o.orderNo,
    bizOrderNo: o.bizOrderNo,
    typeLabel: t ? `${t.type}-${t.subtype}` : o.type,
    statusLabel: label(ORDER_STATUS_LABELS, o.status),
    amountFen: fenNumber(o.amountFen),
    paymentMethod: label(PAYMENT_METHOD_LABELS, o.paymentMethod),
    createdAt: o.createdAt.toISOString(),
    finishedAt: o.finishedAt?.toISOString() ?? null,
    related,
    movements: own.map((m) => ({ bookedAt: m.bookedAt.toISOString(), amountFen: fenNumber(m.amountFen), balanceAfterFen: m.balanceAfterFen.toString() })),
  };
}
