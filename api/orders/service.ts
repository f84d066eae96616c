/**
 * 订单查询 and 担保消费关联查询 of an application. The 交易查询 box matches any
 * of the five numbers an order carries; the time range is required (default:
 * the current month) and at most 90 days.
 */
import type { Order, Prisma } from '@prisma/client';
import { BusinessError } from '../../domain/errors';
import {
  CARD_TYPE_LABELS,
  CHANNEL_TYPE_LABELS,
  ORDER_STATUS_LABELS,
  ORDER_TYPE_LABELS,
  type OrderType,
  PAYMENT_METHOD_LABELS,
  fenNumber,
  label,
} from '../../domain/ledger';
import type { Actor, AppDeps } from '../context';
import { type OrderRequest, placeOrder, settleOrder } from '../../lib/business/orders';
import { paymentOrderWorkflowId } from '../../workflows/ids';
import { paymentOrderWorkflow } from '../../workflows/payment-order/messages';
import { startFlow } from '../workflow-calls';
import type { CreateOrderInput } from './schemas';
import { applicationScope } from '../context';
import { pageOf, pageWindow } from '../pagination';
import { dayRange } from '../time-range';
import type { ListOrdersInput } from './schemas';

const now = (deps: AppDeps) => deps.services.clock.now();

/** Any of 云商通订单号 / 商户订单号 / 请求渠道流水号 / 渠道流水号 / 后端渠道流水号. */
export function serialMatch(q: string): Prisma.OrderWhereInput {
  return { OR: [{ orderNo: q }, { bizOrderNo: q }, { requestSerial: q }, { channelSerial: q }, { backendSerial: q }] };
}

export function orderRow(o: Order, names: Map<string, string>) {
  const t = ORDER_TYPE_LABELS[o.type as OrderType];
  return {
    id: o.id,
    orderNo: o.orderNo,
    bizOrderNo: o.bizOrderNo,
    type: o.type,
    typeLabel: t ? `${t.type}-${t.subtype}` : o.type,
    status: o.status,
    statusLabel: label(ORDER_STATUS_LABELS, o.status),
    failureReason: o.failureReason,
    finishedAt: o.finishedAt?.toISOString() ?? null,
    amountFen: fenNumber(o.amountFen),
    feeFen: fenNumber(o.feeFen),
    member: names.get(o.receiverMemberId) ?? null,
    payer: o.payerMemberId ? (names.get(o.payerMemberId) ?? null) : o.payerName,
    paymentMethod: label(PAYMENT_METHOD_LABELS, o.paymentMethod),
    channelType: label(CHANNEL_TYPE_LABELS, o.channelType),
    cardType: label(CARD_TYPE_LABELS, o.cardType),
    requestSerial: o.requestSerial,
    channelSerial: o.channelSerial,
    backendSerial: o.backendSerial,
    createdAt: o.createdAt.toISOString(),
  };
}

async function memberNames(deps: AppDeps, ids: (string | null)[]) {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  const rows = await deps.services.prisma.member.findMany({ where: { id: { in: wanted } }, select: { id: true, displayName: true, bizUserId: true } });
  return new Map(rows.map((m) => [m.id, `${m.displayName}（${m.bizUserId}）`]));
}

export async function listOrders(deps: AppDeps, actor: Actor, input: ListOrdersInput) {
  const { prisma } = deps.services;
  const applicationId = applicationScope(actor);
  const range = dayRange(input.from, input.to, now(deps));
  let memberFilter: Prisma.OrderWhereInput = {};
  if (input.bizUserId) {
    const m = await prisma.member.findFirst({ where: { applicationId, bizUserId: input.bizUserId }, select: { id: true } });
    memberFilter = {
      OR: [{ receiverMemberId: m?.id ?? '00000000-0000-0000-0000-000000000000' }, { payerMemberId: m?.id ?? '00000000-0000-0000-0000-000000000000' }],
    };
  }
  const where: Prisma.OrderWhereInput = {
    applicationId,
    createdAt: { gte: range.start, lt: range.end },
    ...(input.type ? { type: input.type } : {}),
    ...(input.status ? { status: input.status } : {}),
    ...(input.minYuan !== undefined || input.maxYuan !== undefined
      ? { amountFen: { ...(input.minYuan !== undefined ? { gte: input.minYuan } : {}), ...(input.maxYuan !== undefined ? { lte: input.maxYuan } : {}) } }
      : {}),
    AND: [input.q ? serialMatch(input.q) : {}, memberFilter],
  };
  const [total, rows] = await Promise.all([
    prisma.order.count({ where }),
    prisma.order.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], ...pageWindow(input) }),
  ]);
  const names = await memberNames(
    deps,
    rows.flatMap((o) => [o.receiverMemberId, o.payerMemberId]),
  );
  return {
    ...pageOf(input, total, rows, (o) => orderRow(o, names)),
    range: { from: range.from, to: range.to },
  };
}

export async function getOrder(deps: AppDeps, actor: Actor, id: string) {
  const { prisma } = deps.services;
  const o = await prisma.order.findFirst({
    where: { id, applicationId: applicationScope(actor) },
    include: { movements: { include: { account: { select: { accountNo: true, kind: true } } }, orderBy: { amountFen: 'asc' } }, splits: true },
  });
  if (!o) throw new BusinessError('order.not_found');
  const related = o.relatedOrderId ? await prisma.order.findUnique({ where: { id: o.relatedOrderId } }) : null;
  const names = await memberNames(deps, [o.receiverMemberId, o.payerMemberId, related?.receiverMemberId ?? null]);
  return {
    ...orderRow(o, names),
    related: related && orderRow(related, names),
    movements: o.movements.map((m) => ({
      accountNo: m.account.accountNo,
      accountKind: m.account.kind,
      amountFen: fenNumber(m.amountFen),
      balanceAfterFen: m.balanceAfterFen.toString(),
    })),
    splits: o.splits.map((s) => ({ kind: s.kind, amountFen: fenNumber(s.amountFen), status: s.status })),
  };
}

/** 担保消费关联查询: each 担保确认 with the 担保支付 it confirms. */
export async function listGuaranteeLinks(deps: AppDeps, actor: Actor, input: { from?: string; to?: string; q?: string; page: number; pageSize: number }) {
  const { prisma } = deps.services;
  const applicationId = applicationScope(actor);
  const range = dayRange(input.from, input.to, now(deps));
  let where: Prisma.OrderWhereInput = { applicationId, type: 'GUARANTEE_CONFIRMATION', createdAt: { gte: range.start, lt: range.end } };
  if (input.q) {
    const payment = await prisma.order.findFirst({ where: { applicationId, type: 'GUARANTEED_PAYMENT', ...serialMatch(input.q) }, select: { id: true } });
    where = { ...where, OR: [serialMatch(input.q), ...(payment ? [{ relatedOrderId: payment.id }] : [])] };
  }
  const [total, rows] = await Promise.all([
    prisma.order.count({ where }),
    prisma.order.findMany({ where, orderBy: { createdAt: 'desc' }, ...pageWindow(input) }),
  ]);
  const payments = await prisma.order.findMany({ where: { id: { in: rows.map((r) => r.relatedOrderId).filter((x): x is string => !!x) } } });
  const byId = new Map(payments.map((p) => [p.id, p]));
  const names = await memberNames(
    deps,
    rows.map((r) => r.receiverMemberId),
  );
  return pageOf(input, total, rows, (c) => {
    const p = c.relatedOrderId ? byId.get(c.relatedOrderId) : undefined;
    return { id: c.id, confirmation: orderRow(c, names), payment: p ? orderRow(p, names) : null };
  });
}

/**
 * 下单 (and, later, the open API's): exactly once per 商户订单号 (lib/business/orders.ts); an order
 * through the payment channel gets its flow, which carries it to the channel's decision.
 */
export async function createOrder(deps: AppDeps, actor: Actor, input: CreateOrderInput) {
  const placed = await placeOrderOf(deps, applicationScope(actor), actor, input);
  return { created: placed.created, order: await getOrder(deps, actor, placed.order.id) };
}

/**
 * Places an order of an application, for the portal (a signed-in user) or the open API (the
 * application's signed request, `actor` null), and starts its flow when it has one; `notifyUrl`
 * (open API) gets the result of an order decided later.
 */
export async function placeOrderOf(deps: AppDeps, applicationId: string, actor: Actor | null, input: CreateOrderInput & { notifyUrl?: string }) {
  const { sql, prisma } = deps.services;
  const numbers = [...(input.receiver ? [input.receiver] : []), ...(input.payer ? [input.payer] : [])];
  const { rows } = await sql.query<{ id: string; bizUserId: string }>(
    `SELECT id, "bizUserId" FROM "Member" WHERE "applicationId" = $1::uuid AND "bizUserId" = ANY($2::text[])`,
    [applicationId, numbers],
  );
  const idOf = (n: string) => {
    const m = rows.find((r) => r.bizUserId === n);
    if (!m) throw new BusinessError('member.not_found', `会员编号 ${n} 不存在`);
    return m.id;
  };
  let request: OrderRequest;
  if (input.kind === 'REFUND' || input.kind === 'GUARANTEE_CONFIRMATION') {
    // The order refunded or confirmed, by its 商户订单号; its members (and payment method) are this one's.
    const original = await prisma.order.findUnique({ where: { applicationId_bizOrderNo: { applicationId, bizOrderNo: input.originalBizOrderNo! } } });
    if (!original) throw new BusinessError('order.not_found', `原订单 ${input.originalBizOrderNo} 不存在`);
    request = {
      kind: input.kind,
      bizOrderNo: input.bizOrderNo,
      amountFen: input.amount,
      receiverMemberId: original.receiverMemberId,
      originalOrderId: original.id,
    };
  } else {
    request = {
      kind: input.kind,
      bizOrderNo: input.bizOrderNo,
      amountFen: input.amount,
      receiverMemberId: idOf(input.receiver!),
      paymentMethod: input.kind === 'TRANSFER' ? 'BALANCE' : input.kind === 'WITHDRAWAL' || input.kind === 'SETTLEMENT' ? null : (input.paymentMethod ?? null),
      payerMemberId: input.kind === 'SETTLEMENT' ? null : input.payer ? idOf(input.payer) : null,
      cardId: input.kind === 'WITHDRAWAL' ? (input.cardId ?? null) : null,
    };
  }
  if (input.notifyUrl) request.notifyUrl = input.notifyUrl;
  const placed = await placeOrder(sql, applicationId, request, deps.services.clock.now(), paymentOrderWorkflowId);
  if (placed.needsFlow) {
    const o = placed.order;
    const guarantee =
      o.type === 'GUARANTEED_PAYMENT'
        ? { confirmWithinMs: (await prisma.application.findUniqueOrThrow({ where: { id: applicationId } })).guaranteeConfirmDays * 24 * 3600 * 1000 }
        : undefined;
    await startFlow(deps, actor, paymentOrderWorkflow, {
      workflowId: o.workflowId!,
      args: [{ orderId: o.id, orderNo: o.orderNo, applicationId, ...(guarantee ? { guarantee } : {}), ...(input.notifyUrl ? { notify: true } : {}) }],
      businessKey: o.orderNo,
      what: '订单支付流程',
      // Temporal refused the start: the order and its reservation go (nothing was sent to the channel).
      undo: () => settleOrder(sql, o.id, { status: 'FAILED', failureReason: '订单支付流程启动失败' }, deps.services.clock.now()),
    });
  }
  return placed;
}
