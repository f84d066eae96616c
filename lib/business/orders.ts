/**
 * Orders and their booking, in plain SQL inside one transaction per status change: the state
 * machine of domain/orders.ts decides what a change does, this module does it — reserve, book
 * the double entry (movements with running balances, account balances, split rows), release —
 * with the accounts involved locked (in id order, so concurrent orders never deadlock). A change
 * is applied only from the status it starts from, so a retried activity books nothing twice.
 */
import { createHash, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { BusinessError } from '../../domain/errors';
import { type AccountRef, type Posting, businessDay } from '../../domain/ledger';
import {
  type Hold,
  type OrderKind,
  type OrderStatus,
  type OrderTerms,
  type RefundReversal,
  channelDirection,
  feeOf,
  holdsOf,
  refundReversal,
  successPostings,
} from '../../domain/orders';
import { type SplitLine, type SplitTerms, splitAmount } from '../../domain/split';
import { inTransaction, utc } from '../adapters/db';

const NOW_UTC = `(now() AT TIME ZONE 'UTC')`;

export interface OrderRequest {
  kind: OrderKind;
  bizOrderNo: string;
  amountFen: number;
  /** Who receives (消费, 转账), tops up or withdraws. */
  receiverMemberId: string;
  /** Who pays from its balance (转账, 余额支付的消费). */
  payerMemberId?: string | null;
  paymentMethod?: string | null;
  /** 提现: the member's verified card. */
  cardId?: string | null;
  /** 退款: the consumption or 担保支付 refunded (its receiver, payer and payment method are the refund's); 担保确认: the 担保支付 confirmed. */
  originalOrderId?: string | null;
  /** Open API: where the result of an order decided later (through the channel) is sent. */
  notifyUrl?: string | null;
}

export interface OrderRow {
  id: string;
  orderNo: string;
  bizOrderNo: string;
  type: OrderKind;
  status: OrderStatus;
  amountFen: string;
  feeFen: string;
  receiverMemberId: string;
  payerMemberId: string | null;
  paymentMethod: string | null;
  cardId: string | null;
  channelSerial: string | null;
  backendSerial: string | null;
  failureReason: string | null;
  requestHash: string | null;
  applicationId: string;
  workflowId: string | null;
  relatedOrderId: string | null;
}

const ORDER_COLUMNS = `id, "orderNo", "bizOrderNo", type, status, "amountFen"::text AS "amountFen", "feeFen"::text AS "feeFen", "receiverMemberId", "payerMemberId",
  "paymentMethod", "cardId", "channelSerial", "backendSerial", "failureReason", "requestHash", "applicationId", "workflowId", "relatedOrderId"`;

export function termsOf(o: Pick<OrderRow, 'type' | 'amountFen' | 'receiverMemberId' | 'payerMemberId' | 'paymentMethod'>): OrderTerms {
  return { kind: o.type, amountFen: Number(o.amountFen), receiverMemberId: o.receiverMemberId, payerMemberId: o.payerMemberId, paymentMethod: o.paymentMethod };
}

/** The request as it is compared when the same 商户订单号 comes again. */
export function requestHash(r: OrderRequest): string {
  const canonical = [
    r.kind,
    r.bizOrderNo,
    r.amountFen,
    r.receiverMemberId,
    r.payerMemberId ?? null,
    r.paymentMethod ?? null,
    r.cardId ?? null,
    r.originalOrderId ?? null,
    // Only when given, so the hashes of orders placed before notify URLs existed stay as they were.
    ...(r.notifyUrl ? [r.notifyUrl] : []),
  ];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

export async function orderById(db: pg.ClientBase | pg.Pool, id: string, lock = false): Promise<OrderRow | null> {
  const { rows } = await db.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM "Order" WHERE id = $1::uuid${lock ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ?? null;
}

interface LockedAccount {
  id: string;
  memberId: string | null;
  kind: string;
  balance: bigint;
  reserved: bigint;
}

const refKey = (r: AccountRef) => ('system' in r ? `sys:${r.system}` : `${r.memberId}:${r.kind}`);

/** The accounts of these references, locked for this transaction in id order; a missing member account is refused. */
async function lockAccounts(db: pg.ClientBase, applicationId: string, refs: AccountRef[]): Promise<Map<string, LockedAccount>> {
  const members = refs.filter((r): r is Extract<AccountRef, { memberId: string }> => 'memberId' in r);
  const systems = refs.filter((r): r is Extract<AccountRef, { system: string }> => 'system' in r).map((r) => r.system);
  const { rows } = await db.query<{ id: string; memberId: string | null; kind: string; balanceFen: string; reservedFen: string }>(
    `SELECT id, "memberId", kind, "balanceFen"::text AS "balanceFen", "reservedFen"::text AS "reservedFen" FROM "Account"
      WHERE "applicationId" = $1::uuid
        AND (("memberId" IS NULL AND kind = ANY($2::text[])) OR ("memberId", kind) IN (SELECT * FROM unnest($3::uuid[], $4::text[])))
      ORDER BY id FOR UPDATE`,
    [applicationId, systems, members.map((m) => m.memberId), members.map((m) => m.kind)],
  );
  const byKey = new Map<string, LockedAccount>();
  for (const a of rows) {
    byKey.set(a.memberId ? `${a.memberId}:${a.kind}` : `sys:${a.kind}`, {
      id: a.id,
      memberId: a.memberId,
      kind: a.kind,
      balance: BigInt(a.balanceFen),
      reserved: BigInt(a.reservedFen),
    });
  }
  for (const r of refs) if (!byKey.has(refKey(r))) throw new BusinessError('order.account_missing');
  return byKey;
}

/**
 * Books postings (summing to zero) on their accounts: movements with the balance after each, and
 * the accounts' new balances. `release` frees a reservation in the same step. A member's account
 * never ends below what stays reserved on it: that refuses the whole booking.
 */
async function book(db: pg.ClientBase, o: { id: string; applicationId: string }, postings: Posting[], at: Date, release: Hold[]) {
  if (postings.reduce((s, p) => s + p.amountFen, 0) !== 0) throw new Error(`order ${o.id}: postings do not sum to zero`);
  const refs = [...postings.map((p) => p.account), ...release.map((h) => ({ memberId: h.memberId, kind: h.kind }))];
  const accounts = await lockAccounts(db, o.applicationId, refs);
  for (const h of release) accounts.get(`${h.memberId}:${h.kind}`)!.reserved -= BigInt(h.amountFen);
  const movements: { accountId: string; amountFen: string; balanceAfterFen: string }[] = [];
  for (const p of postings) {
    const a = accounts.get(refKey(p.account))!;
    a.balance += BigInt(p.amountFen);
    movements.push({ accountId: a.id, amountFen: String(p.amountFen), balanceAfterFen: a.balance.toString() });
  }
  for (const a of accounts.values()) if (a.memberId && a.balance < a.reserved) throw new BusinessError('order.insufficient_balance');
  const touched = [...accounts.values()];
  await db.query(
    `UPDATE "Account" AS a SET "balanceFen" = v.balance, "reservedFen" = v.reserved
       FROM unnest($1::uuid[], $2::bigint[], $3::bigint[]) AS v(id, balance, reserved) WHERE a.id = v.id`,
    [touched.map((a) => a.id), touched.map((a) => a.balance.toString()), touched.map((a) => a.reserved.toString())],
  );
  if (movements.length === 0) return;
  await db.query(
    `INSERT INTO "Movement" (id, "accountId", "orderId", "amountFen", "balanceAfterFen", "bookedAt", "businessDay")
     SELECT gen_random_uuid(), v.account, $1::uuid, v.amount, v.after, ($2::timestamptz AT TIME ZONE 'UTC'), $3
       FROM unnest($4::uuid[], $5::bigint[], $6::bigint[]) WITH ORDINALITY AS v(account, amount, after, n) ORDER BY n`,
    [o.id, utc(at), businessDay(at), movements.map((m) => m.accountId), movements.map((m) => m.amountFen), movements.map((m) => m.balanceAfterFen)],
  );
}

/** The receiving member's effective split rule (every party signed), as terms; null: nothing is split. */
async function effectiveSplit(
  db: pg.ClientBase,
  applicationId: string,
  receiverMemberId: string,
  at: Date,
): Promise<{ ruleId: string; terms: SplitTerms } | null> {
  const { rows } = await db.query<{
    id: string;
    name: string;
    commissionMethod: string | null;
    commissionValue: number | null;
    parties: { memberId: string; method: string; value: number }[];
  }>(
    `SELECT r.id, r.name, r."commissionMethod", r."commissionValue",
            (SELECT coalesce(json_agg(json_build_object('memberId', p."memberId", 'method', p.method, 'value', p.value) ORDER BY p.position), '[]'::json)
               FROM "SplitRuleParty" p WHERE p."ruleId" = r.id AND p.role = 'SPLIT') AS parties
       FROM "SplitRule" r
      WHERE r."applicationId" = $1::uuid AND r."receiverMemberId" = $2::uuid AND r.enabled AND r."allSigned"
        AND r."effectiveAt" IS NOT NULL AND r."effectiveAt" <= ($3::timestamptz AT TIME ZONE 'UTC')
      ORDER BY r."effectiveAt" DESC LIMIT 1`,
    [applicationId, receiverMemberId, utc(at)],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    ruleId: r.id,
    terms: {
      name: r.name,
      receiverMemberId,
      commission: r.commissionMethod ? { method: r.commissionMethod as 'RATIO' | 'FIXED', value: r.commissionValue ?? 0 } : null,
      parties: r.parties.map((p) => ({ memberId: p.memberId, method: p.method as 'RATIO' | 'FIXED', value: p.value })),
    },
  };
}

async function postSettlementOf(db: pg.ClientBase, applicationId: string): Promise<boolean> {
  const { rows } = await db.query<{ fundMode: string }>(`SELECT "fundMode" FROM "Application" WHERE id = $1::uuid`, [applicationId]);
  return rows[0]?.fundMode === 'POST_SETTLEMENT';
}

/** SUCCESS from `from`: the postings (with the split and fee of a consumption), the split rows, the released reservation. */
async function succeed(db: pg.ClientBase, o: OrderRow, at: Date, serials: { channelSerial?: string | null; backendSerial?: string | null } = {}) {
  const terms = termsOf(o);
  const rule = o.type === 'CONSUMPTION' || o.type === 'GUARANTEE_CONFIRMATION' ? await effectiveSplit(db, o.applicationId, o.receiverMemberId, at) : null;
  const split: SplitLine[] = rule ? splitAmount(terms.amountFen, rule.terms) : [];
  // A refund keeps the fee it gives back (negative), set when it was placed.
  const fee = o.type === 'REFUND' ? Number(o.feeFen) : feeOf(terms);
  const postSettlement = await postSettlementOf(db, o.applicationId);
  const reversal = o.type === 'REFUND' ? await reversalOf(db, o) : null;
  await book(db, o, successPostings(terms, postSettlement, split, fee, reversal), at, holdsOf(terms, reversal, postSettlement));
  if (reversal) await db.query(`UPDATE "SplitDetail" SET status = 'SUCCESS' WHERE "orderId" = $1::uuid`, [o.id]);
  if (split.length > 0) {
    await db.query(
      `INSERT INTO "SplitDetail" (id, "orderId", "applicationId", "ruleId", "fromMemberId", "toMemberId", kind, "amountFen", status, "createdAt")
       SELECT gen_random_uuid(), $1::uuid, $2::uuid, $3::uuid, $4::uuid, v.to, v.kind, v.amount, 'SUCCESS', ($5::timestamptz AT TIME ZONE 'UTC')
         FROM unnest($6::uuid[], $7::text[], $8::bigint[]) AS v("to", kind, amount)`,
      [
        o.id,
        o.applicationId,
        rule!.ruleId,
        o.receiverMemberId,
        utc(at),
        split.map((l) => l.memberId),
        split.map((l) => l.kind),
        split.map((l) => String(l.amountFen)),
      ],
    );
  }
  await db.query(
    `UPDATE "Order" SET status = 'SUCCESS', "feeFen" = $2, "channelSerial" = coalesce($3, "channelSerial"), "backendSerial" = coalesce($4, "backendSerial"),
            "finishedAt" = ($5::timestamptz AT TIME ZONE 'UTC'), "updatedAt" = ${NOW_UTC} WHERE id = $1::uuid`,
    [o.id, fee, serials.channelSerial ?? null, serials.backendSerial ?? null, utc(at)],
  );
}

/**
 * Places (+1) or releases (−1) holds, with their accounts locked in id order like every booking, so
 * a refund holding on several accounts never deadlocks with orders booking on them. A hold that the
 * available balance does not cover refuses the order.
 */
async function changeHolds(db: pg.ClientBase, applicationId: string, holds: Hold[], sign: 1 | -1): Promise<void> {
  if (holds.length === 0) return;
  const accounts = await lockAccounts(
    db,
    applicationId,
    holds.map((h) => ({ memberId: h.memberId, kind: h.kind })),
  );
  for (const h of holds) {
    const a = accounts.get(`${h.memberId}:${h.kind}`)!;
    if (sign > 0 && a.balance - a.reserved < BigInt(h.amountFen)) throw new BusinessError('order.insufficient_balance');
    a.reserved += BigInt(sign * h.amountFen);
  }
  const touched = [...accounts.values()];
  await db.query(`UPDATE "Account" AS a SET "reservedFen" = v.reserved FROM unnest($1::uuid[], $2::bigint[]) AS v(id, reserved) WHERE a.id = v.id`, [
    touched.map((a) => a.id),
    touched.map((a) => a.reserved.toString()),
  ]);
}

/** A refund's reversal as placed (its split rows hold what it takes back from each line, as negative amounts). */
async function reversalOf(db: pg.ClientBase, refund: OrderRow): Promise<RefundReversal> {
  const original = refund.relatedOrderId ? await orderById(db, refund.relatedOrderId) : null;
  if (original?.type === 'GUARANTEED_PAYMENT') return { lines: [], feeFen: 0, fromReceiverFen: 0, fromGuaranteeFen: Number(refund.amountFen) };
  const { rows } = await db.query<{ toMemberId: string | null; kind: 'SPLIT' | 'COMMISSION'; amountFen: string }>(
    `SELECT "toMemberId", kind, "amountFen"::text AS "amountFen" FROM "SplitDetail" WHERE "orderId" = $1::uuid`,
    [refund.id],
  );
  const lines = rows.map((r) => ({ memberId: r.toMemberId, kind: r.kind, amountFen: -Number(r.amountFen) }));
  // The refund's fee column holds the fee it gives back, as a negative amount.
  const feeFen = -Number(refund.feeFen);
  return { lines, feeFen, fromReceiverFen: Number(refund.amountFen) - feeFen - lines.reduce((s, l) => s + l.amountFen, 0) };
}

/**
 * The reversal of a new refund of `original` (locked by the caller, so refunds of one consumption
 * are placed one at a time): refused when it is not a successful consumption or when this refund,
 * with those decided or still open, would give back more than was paid.
 */
async function reversalForNewRefund(
  db: pg.ClientBase,
  original: OrderRow | null,
  refundFen: number,
): Promise<{ reversal: RefundReversal; ruleId: string | null }> {
  if (!original) throw new BusinessError('order.not_found', '原订单不存在');
  if ((original.type !== 'CONSUMPTION' && original.type !== 'GUARANTEED_PAYMENT') || original.status !== 'SUCCESS')
    throw new BusinessError('order.not_refundable');
  if (original.type === 'GUARANTEED_PAYMENT') {
    // Before 担保确认: what the 担保中间户 still holds for it comes back; what was confirmed is the receiver's.
    const held = await stillHeld(db, original);
    if (refundFen > held) throw new BusinessError('order.refund_exceeds', `可退金额为 ${(held / 100).toFixed(2)} 元`, { refundableFen: held });
    return { reversal: { lines: [], feeFen: 0, fromReceiverFen: 0, fromGuaranteeFen: refundFen }, ruleId: null };
  }
  const {
    rows: [so],
  } = await db.query<{ refunded: string; feeReturned: string }>(
    `SELECT coalesce(sum("amountFen"), 0)::text AS refunded, coalesce(-sum("feeFen"), 0)::text AS "feeReturned"
       FROM "Order" WHERE "relatedOrderId" = $1::uuid AND type = 'REFUND' AND status IN ('CREATED', 'PROCESSING', 'SUCCESS')`,
    [original.id],
  );
  const paid = Number(original.amountFen);
  const refunded = Number(so!.refunded);
  const fee = { paidFen: Number(original.feeFen), returnedSoFarFen: Number(so!.feeReturned) };
  if (refunded + refundFen > paid)
    throw new BusinessError('order.refund_exceeds', `可退金额为 ${((paid - refunded) / 100).toFixed(2)} 元`, { refundableFen: paid - refunded });
  const split = await db.query<{ toMemberId: string | null; kind: 'SPLIT' | 'COMMISSION'; amountFen: string; ruleId: string | null; orderId: string }>(
    `SELECT d."toMemberId", d.kind, d."amountFen"::text AS "amountFen", d."ruleId", d."orderId" FROM "SplitDetail" d
      WHERE d."orderId" = $1::uuid
         OR d."orderId" IN (SELECT id FROM "Order" WHERE "relatedOrderId" = $1::uuid AND type = 'REFUND' AND status IN ('CREATED', 'PROCESSING', 'SUCCESS'))`,
    [original.id],
  );
  const line = (r: (typeof split.rows)[number]) => ({ memberId: r.toMemberId, kind: r.kind, amountFen: Math.abs(Number(r.amountFen)) });
  const lines = split.rows.filter((r) => r.orderId === original.id).map(line);
  const reversed = split.rows.filter((r) => r.orderId !== original.id).map(line);
  return {
    reversal: refundReversal(paid, refundFen, refunded, lines, reversed, fee),
    ruleId: split.rows.find((r) => r.orderId === original.id)?.ruleId ?? null,
  };
}

/** What a 担保支付 still holds: paid, less what was confirmed and what was (or is being) refunded. */
async function stillHeld(db: pg.ClientBase, payment: OrderRow): Promise<number> {
  const { rows } = await db.query<{ taken: string }>(
    `SELECT coalesce(sum("amountFen"), 0)::text AS taken FROM "Order"
      WHERE "relatedOrderId" = $1::uuid AND ((type = 'GUARANTEE_CONFIRMATION' AND status = 'SUCCESS') OR (type = 'REFUND' AND status IN ('CREATED', 'PROCESSING', 'SUCCESS')))`,
    [payment.id],
  );
  return Number(payment.amountFen) - Number(rows[0]!.taken);
}

/** Checks the parties of a request against the members and cards of the application. */
async function checkParties(db: pg.ClientBase, applicationId: string, r: OrderRequest): Promise<void> {
  const ids = [r.receiverMemberId, ...(r.payerMemberId ? [r.payerMemberId] : [])];
  const { rows } = await db.query<{ id: string; status: string }>(`SELECT id, status FROM "Member" WHERE "applicationId" = $1::uuid AND id = ANY($2::uuid[])`, [
    applicationId,
    ids,
  ]);
  if (rows.length !== new Set(ids).size) throw new BusinessError('member.not_found');
  if (rows.some((m) => m.status !== 'NORMAL')) throw new BusinessError('order.member_not_normal');
  if (r.payerMemberId && r.payerMemberId === r.receiverMemberId) throw new BusinessError('order.same_member');
  if (r.kind === 'WITHDRAWAL') {
    const card = await db.query(`SELECT 1 FROM "BankCard" WHERE id = $1::uuid AND "memberId" = $2::uuid AND "verifiedAt" IS NOT NULL`, [
      r.cardId ?? null,
      r.receiverMemberId,
    ]);
    if (card.rowCount === 0) throw new BusinessError('order.card_invalid');
  }
}

function newOrderNo(at: Date): string {
  return `YST${businessDay(at).replace(/-/g, '')}${randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase()}`;
}

export interface PlacedOrder {
  order: OrderRow;
  /** False when the same request had been made before: this is its first answer. */
  created: boolean;
  /** The order has a flow to start (through the channel, or a 担保支付's confirmation period); starting it again is harmless. */
  needsFlow: boolean;
}

/**
 * Places an order once per application and 商户订单号: the same request again answers with the
 * first order, a different one with that number is refused (409) and books nothing. Orders paid
 * from balances are decided here (insufficient balance → refused, nothing recorded); a 提现
 * reserves its amount here (same rule); channel orders are left CREATED for their flow.
 */
export async function placeOrder(
  sql: pg.Pool,
  applicationId: string,
  r: OrderRequest,
  at: Date,
  /** The order's flow; null: none will run (the demo history, which plays the channel's answers itself). */
  workflowIdOf: (orderNo: string) => string | null,
): Promise<PlacedOrder> {
  const hash = requestHash(r);
  const existing = async (db: pg.ClientBase | pg.Pool) => {
    const { rows } = await db.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM "Order" WHERE "applicationId" = $1::uuid AND "bizOrderNo" = $2`, [
      applicationId,
      r.bizOrderNo,
    ]);
    return rows[0] ?? null;
  };
  const answerWith = (o: OrderRow): PlacedOrder => {
    if (o.requestHash !== hash) throw new BusinessError('order.duplicate_conflict');
    return { order: o, created: false, needsFlow: o.workflowId !== null };
  };
  const before = await existing(sql);
  if (before) return answerWith(before);
  try {
    return await inTransaction(sql, async (db) => {
      // A refund is of a consumption: its receiver, payer and payment method are that order's, and
      // refunds of one consumption are placed one at a time (the consumption stays locked).
      const related = r.kind === 'REFUND' || r.kind === 'GUARANTEE_CONFIRMATION';
      const original = related ? await orderById(db, r.originalOrderId ?? '00000000-0000-0000-0000-000000000000', true) : null;
      if (related && (!original || original.applicationId !== applicationId)) throw new BusinessError('order.not_found', '原订单不存在');
      if (r.kind === 'REFUND') {
        r = { ...r, receiverMemberId: original!.receiverMemberId, payerMemberId: original!.payerMemberId, paymentMethod: original!.paymentMethod };
      }
      if (r.kind === 'GUARANTEE_CONFIRMATION') {
        // 担保确认 releases (part of) what a successful 担保支付 holds to its receiver; repeated confirmations until nothing is held.
        if (original!.type !== 'GUARANTEED_PAYMENT' || original!.status !== 'SUCCESS') throw new BusinessError('order.not_confirmable');
        const held = await stillHeld(db, original!);
        if (r.amountFen > held) throw new BusinessError('order.confirm_exceeds', `尚未确认的金额为 ${(held / 100).toFixed(2)} 元`, { confirmableFen: held });
        r = { ...r, receiverMemberId: original!.receiverMemberId, payerMemberId: null, paymentMethod: null };
      }
      await checkParties(db, applicationId, r);
      const terms: OrderTerms = {
        kind: r.kind,
        amountFen: r.amountFen,
        receiverMemberId: r.receiverMemberId,
        payerMemberId: r.payerMemberId ?? null,
        paymentMethod: r.paymentMethod ?? null,
      };
      const refund = r.kind === 'REFUND' ? await reversalForNewRefund(db, original, r.amountFen) : null;
      const viaChannel = channelDirection(terms) !== null;
      // A 担保支付 has a flow even when paid from a balance: it carries the confirmation period.
      const flowed = viaChannel || r.kind === 'GUARANTEED_PAYMENT';
      const orderNo = newOrderNo(at);
      const { rows } = await db.query<OrderRow>(
        `INSERT INTO "Order" (id, "applicationId", "orderNo", "bizOrderNo", type, status, "receiverMemberId", "payerMemberId", "amountFen", "paymentMethod",
                              "cardId", "requestHash", "workflowId", "relatedOrderId", "feeFen", "notifyUrl", "createdAt", "updatedAt")
         VALUES (gen_random_uuid(), $1::uuid, $2, $3, $4, 'CREATED', $5::uuid, $6::uuid, $7, $8, $9::uuid, $10, $11, $12::uuid, $14, $15, ($13::timestamptz AT TIME ZONE 'UTC'), ${NOW_UTC})
         RETURNING ${ORDER_COLUMNS}`,
        [
          applicationId,
          orderNo,
          r.bizOrderNo,
          r.kind,
          r.receiverMemberId,
          r.payerMemberId ?? null,
          r.amountFen,
          r.paymentMethod ?? null,
          r.cardId ?? null,
          hash,
          flowed ? workflowIdOf(orderNo) : null,
          original?.id ?? null,
          utc(at),
          refund ? -refund.reversal.feeFen : 0,
          r.notifyUrl ?? null,
        ],
      );
      const order = rows[0]!;
      if (refund && refund.reversal.lines.length > 0) {
        // What the refund takes back from each split line, as negative split rows of the refund (分账订单明细 shows them).
        const lines = refund.reversal.lines;
        await db.query(
          `INSERT INTO "SplitDetail" (id, "orderId", "applicationId", "ruleId", "fromMemberId", "toMemberId", kind, "amountFen", status, "createdAt")
           SELECT gen_random_uuid(), $1::uuid, $2::uuid, $3::uuid, $4::uuid, v.to, v.kind, -v.amount, 'PROCESSING', ($5::timestamptz AT TIME ZONE 'UTC')
             FROM unnest($6::uuid[], $7::text[], $8::bigint[]) AS v("to", kind, amount)`,
          [
            order.id,
            applicationId,
            refund.ruleId,
            r.receiverMemberId,
            utc(at),
            lines.map((l) => l.memberId),
            lines.map((l) => l.kind),
            lines.map((l) => String(l.amountFen)),
          ],
        );
      }
      if (!viaChannel) {
        await succeed(db, order, at);
        return { order: (await orderById(db, order.id))!, created: true, needsFlow: flowed };
      }
      // Held from now until the channel decides: a 提现's amount, what a refund takes back.
      await changeHolds(db, applicationId, holdsOf(terms, refund?.reversal ?? null, await postSettlementOf(db, applicationId)), +1);
      return { order, created: true, needsFlow: true };
    });
  } catch (err) {
    // Two requests with one number at once: the second finds the first.
    if ((err as { code?: string }).code === '23505' && /bizOrderNo/.test((err as { constraint?: string }).constraint ?? 'Order_applicationId_bizOrderNo_key')) {
      const first = await existing(sql);
      if (first) return answerWith(first);
    }
    throw err;
  }
}

/** The channel took the order: PROCESSING with the channel's serial, our request's serial and how it is paid (only from CREATED). */
export async function markProcessing(
  sql: pg.Pool,
  orderId: string,
  answer: { channelSerial: string; channelType?: string | null; cardType?: string | null },
  requestSerial: string,
): Promise<void> {
  await sql.query(
    `UPDATE "Order" SET status = 'PROCESSING', "channelSerial" = $2, "requestSerial" = $3, "channelType" = $4, "cardType" = $5, "updatedAt" = ${NOW_UTC}
      WHERE id = $1::uuid AND status = 'CREATED'`,
    [orderId, answer.channelSerial, requestSerial, answer.channelType ?? null, answer.cardType ?? null],
  );
}

/**
 * The channel's decision: SUCCESS books, FAILED and CLOSED release what was reserved. Applied once,
 * from CREATED or PROCESSING; a second call finds the order decided and changes nothing.
 */
export async function settleOrder(
  sql: pg.Pool,
  orderId: string,
  outcome: { status: 'SUCCESS' | 'FAILED' | 'CLOSED'; channelSerial?: string | null; backendSerial?: string | null; failureReason?: string | null },
  at: Date,
): Promise<OrderStatus> {
  return inTransaction(sql, async (db) => {
    const o = await orderById(db, orderId, true);
    if (!o) throw new Error(`order ${orderId} not found`);
    if (o.status !== 'CREATED' && o.status !== 'PROCESSING') return o.status;
    if (outcome.status === 'SUCCESS') {
      await succeed(db, o, at, outcome);
      return 'SUCCESS';
    }
    const reversal = o.type === 'REFUND' ? await reversalOf(db, o) : null;
    await changeHolds(db, o.applicationId, holdsOf(termsOf(o), reversal, await postSettlementOf(db, o.applicationId)), -1);
    // A refund that did not happen takes nothing back from the split.
    if (reversal) await db.query(`UPDATE "SplitDetail" SET status = 'FAILED' WHERE "orderId" = $1::uuid`, [o.id]);
    await db.query(
      `UPDATE "Order" SET status = $2, "failureReason" = $3, "channelSerial" = coalesce($4, "channelSerial"),
              "finishedAt" = ($5::timestamptz AT TIME ZONE 'UTC'), "updatedAt" = ${NOW_UTC} WHERE id = $1::uuid`,
      [
        o.id,
        outcome.status,
        outcome.failureReason ?? (outcome.status === 'CLOSED' ? '支付渠道未在时限内返回结果，订单已关闭' : null),
        outcome.channelSerial ?? null,
        utc(at),
      ],
    );
    return outcome.status;
  });
}

/** The 商户订单号 of a 担保支付's automatic confirmation. */
export function autoConfirmationNo(orderNo: string): string {
  return `AUTO-${orderNo}`;
}

/**
 * The confirmation period of a 担保支付 ended: whatever it still holds is confirmed to the receiver
 * by a 担保确认 of its own (split as any confirmation). Once: a second call finds that order.
 */
export async function confirmWhatIsHeld(sql: pg.Pool, paymentId: string, at: Date): Promise<{ confirmedFen: number }> {
  const payment = await orderById(sql, paymentId);
  if (!payment || payment.type !== 'GUARANTEED_PAYMENT' || payment.status !== 'SUCCESS') return { confirmedFen: 0 };
  const bizOrderNo = autoConfirmationNo(payment.orderNo);
  const { rows } = await sql.query<{ amountFen: string }>(
    `SELECT "amountFen"::text AS "amountFen" FROM "Order" WHERE "applicationId" = $1::uuid AND "bizOrderNo" = $2`,
    [payment.applicationId, bizOrderNo],
  );
  if (rows[0]) return { confirmedFen: Number(rows[0].amountFen) };
  const held = await inTransaction(sql, (db) => stillHeld(db, payment));
  if (held <= 0) return { confirmedFen: 0 };
  await placeOrder(
    sql,
    payment.applicationId,
    { kind: 'GUARANTEE_CONFIRMATION', bizOrderNo, amountFen: held, receiverMemberId: payment.receiverMemberId, originalOrderId: payment.id },
    at,
    () => '',
  );
  return { confirmedFen: held };
}
