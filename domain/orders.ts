/**
 * Orders as the product makes them (SPEC F6, seed 000 §1.6): how each kind moves money, which
 * status changes are allowed, and which of them book. Amounts are integer fen.
 *
 * CREATED → PROCESSING → SUCCESS | FAILED | CLOSED. An order paid from a member's balance
 * (转账, 消费 by 余额支付) is decided at once: CREATED → SUCCESS, or refused with nothing recorded
 * when the balance does not cover it. An order through the payment channel goes PROCESSING when
 * the channel took it; a 提现 reserves what it takes out from then on. Only SUCCESS books the
 * postings; FAILED and CLOSED (the channel never decided in time) release any reservation.
 */
import { type AccountRef, type MemberAccountKind, type OrderType, type Posting, postingsFor } from './ledger';
import type { SplitLine } from './split';

export type OrderStatus = 'CREATED' | 'PROCESSING' | 'SUCCESS' | 'FAILED' | 'CLOSED';

export type OrderKind = OrderType;
export const ORDER_KINDS: readonly OrderKind[] = [
  'TOP_UP',
  'CONSUMPTION',
  'GUARANTEED_PAYMENT',
  'GUARANTEE_CONFIRMATION',
  'WITHDRAWAL',
  'REFUND',
  'TRANSFER',
  'SETTLEMENT',
];

export const ORDER_TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  CREATED: ['PROCESSING', 'SUCCESS', 'FAILED'],
  PROCESSING: ['SUCCESS', 'FAILED', 'CLOSED'],
  SUCCESS: [],
  FAILED: [],
  CLOSED: [],
};

export const FINAL_STATUSES: readonly OrderStatus[] = ['SUCCESS', 'FAILED', 'CLOSED'];

export function canMove(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

export interface OrderTerms {
  kind: OrderKind;
  amountFen: number;
  receiverMemberId: string;
  payerMemberId: string | null;
  paymentMethod: string | null;
}

export type ChannelDirection = 'COLLECT' | 'PAYOUT' | 'REFUND';

/**
 * Through the channel: money in by card (COLLECT), out to a card (PAYOUT), back to the card a
 * consumption was paid with (REFUND); null: settled at once from balances (余额支付, 转账).
 * A refund carries the payment method of the consumption it refunds.
 */
export function channelDirection(o: Pick<OrderTerms, 'kind' | 'paymentMethod'>): ChannelDirection | null {
  if (o.kind === 'WITHDRAWAL') return 'PAYOUT';
  if (o.kind === 'TOP_UP') return 'COLLECT';
  if (o.kind === 'CONSUMPTION' || o.kind === 'GUARANTEED_PAYMENT') return o.paymentMethod === 'BALANCE' ? null : 'COLLECT';
  if (o.kind === 'REFUND') return o.paymentMethod === 'BALANCE' ? null : 'REFUND';
  return null;
}

/** Money an order holds on a member's account while the channel decides (released when it does). */
export interface Hold {
  memberId: string;
  kind: MemberAccountKind;
  amountFen: number;
}

/**
 * What a channel order takes out of members' accounts, held from the moment it is placed: a 提现 its
 * amount on the 支付账户; a refund what it takes back from the receiver and from each party.
 */
export function holdsOf(o: OrderTerms, reversal: RefundReversal | null, postSettlement: boolean): Hold[] {
  if (channelDirection(o) === null) return [];
  if (o.kind === 'WITHDRAWAL') return [{ memberId: o.receiverMemberId, kind: 'PAYMENT', amountFen: o.amountFen }];
  if (o.kind !== 'REFUND' || !reversal) return [];
  const kind: MemberAccountKind = postSettlement ? 'PENDING_SETTLEMENT' : 'PAYMENT';
  return [
    { memberId: o.receiverMemberId, kind, amountFen: reversal.fromReceiverFen },
    ...reversal.lines.filter((l) => l.kind === 'SPLIT').map((l) => ({ memberId: l.memberId!, kind, amountFen: l.amountFen })),
  ].filter((h) => h.amountFen > 0);
}

/**
 * What a refund takes back: from each split line of the consumption (its share of the refund), the
 * card fee's share from the 手续费户 (the channel returns its fee with the money), the rest from the receiver.
 */
export interface RefundReversal {
  lines: SplitLine[];
  feeFen: number;
  fromReceiverFen: number;
  /** A refund of a 担保支付 gives back what the 担保中间户 still holds; nothing comes from the receiver. */
  fromGuaranteeFen?: number;
}

/**
 * Splits a refund of `refundFen` of a consumption of `paidFen` over its split lines: each line gives
 * back its share (rounded down), and a refund that brings the total refunded to what was paid gives
 * back exactly what is left of each line — so refunds in parts reverse the split whole, never more.
 * `reversedSoFar` is what earlier refunds (decided or still open) took back from each line.
 */
export function refundReversal(
  paidFen: number,
  refundFen: number,
  refundedSoFarFen: number,
  lines: readonly SplitLine[],
  reversedSoFar: readonly SplitLine[],
  fee: { paidFen: number; returnedSoFarFen: number } = { paidFen: 0, returnedSoFarFen: 0 },
): RefundReversal {
  const key = (l: SplitLine) => `${l.kind}:${l.memberId ?? ''}`;
  const done = new Map<string, number>();
  for (const l of reversedSoFar) done.set(key(l), (done.get(key(l)) ?? 0) + l.amountFen);
  const last = refundedSoFarFen + refundFen === paidFen;
  const back = lines.map((l) => {
    const left = l.amountFen - (done.get(key(l)) ?? 0);
    return { ...l, amountFen: last ? left : Math.min(left, Math.floor((l.amountFen * refundFen) / paidFen)) };
  });
  const fromLines = back.reduce((s, l) => s + l.amountFen, 0);
  const feeLeft = fee.paidFen - fee.returnedSoFarFen;
  const feeFen = last ? feeLeft : Math.min(feeLeft, Math.floor((fee.paidFen * refundFen) / paidFen));
  return { lines: back.filter((l) => l.amountFen > 0), feeFen, fromReceiverFen: refundFen - fromLines - feeFen };
}

/**
 * The channel's fee on money collected by card, in basis points (0.6 %, the acquiring rate the demo
 * data always used): deducted from the receipt and booked to the application's 手续费户.
 */
export const CHANNEL_FEE_BP = 60;

export function feeOf(o: Pick<OrderTerms, 'kind' | 'paymentMethod' | 'amountFen'>): number {
  return o.kind === 'CONSUMPTION' && channelDirection(o) === 'COLLECT' ? Math.floor((o.amountFen * CHANNEL_FEE_BP) / 10_000) : 0;
}

/**
 * The postings of a successful order; they sum to zero. The receipt of a consumption goes to the
 * receiving member, then its split rule's shares to the parties, the commission to the
 * application's 平台抽佣户 and the card fee to its 手续费户 — all out of that receipt.
 */
export function successPostings(
  o: OrderTerms,
  postSettlement: boolean,
  split: readonly SplitLine[],
  feeFen: number,
  reversal: RefundReversal | null = null,
): Posting[] {
  if (o.kind === 'REFUND') return refundPostings(o, postSettlement, reversal ?? { lines: [], feeFen: 0, fromReceiverFen: o.amountFen });
  const base = postingsFor(
    {
      type: o.kind,
      status: 'SUCCESS',
      amountFen: o.amountFen,
      receiverMemberId: o.receiverMemberId,
      payerMemberId: o.payerMemberId,
      paymentMethod: o.paymentMethod,
    },
    postSettlement,
  );
  if (o.kind !== 'CONSUMPTION') return base;
  const receiptKind = postSettlement ? 'PENDING_SETTLEMENT' : 'PAYMENT';
  const receipts: AccountRef = { memberId: o.receiverMemberId, kind: receiptKind };
  const out: Posting[] = [...base];
  for (const line of split) {
    const to: AccountRef = line.kind === 'COMMISSION' ? { system: 'COMMISSION' } : { memberId: line.memberId!, kind: receiptKind };
    out.push({ account: receipts, amountFen: -line.amountFen }, { account: to, amountFen: line.amountFen });
  }
  if (feeFen > 0) out.push({ account: receipts, amountFen: -feeFen }, { account: { system: 'FEE' }, amountFen: feeFen });
  return out;
}

/**
 * A refund's postings: what it takes back from the receiver and each line of the consumption's
 * split (the commission from the 平台抽佣户), to the card through the channel (渠道清算户) or to the
 * paying member's 支付账户 for a 余额支付; the fee's share comes back from the 手续费户.
 */
function refundPostings(o: OrderTerms, postSettlement: boolean, reversal: RefundReversal): Posting[] {
  const kind = postSettlement ? 'PENDING_SETTLEMENT' : 'PAYMENT';
  const to: AccountRef = o.paymentMethod === 'BALANCE' && o.payerMemberId ? { memberId: o.payerMemberId, kind: 'PAYMENT' } : { system: 'CLEARING' };
  const out: Posting[] = [{ account: to, amountFen: o.amountFen }];
  if (reversal.fromGuaranteeFen) out.push({ account: { system: 'GUARANTEE' }, amountFen: -reversal.fromGuaranteeFen });
  if (reversal.fromReceiverFen > 0) out.push({ account: { memberId: o.receiverMemberId, kind }, amountFen: -reversal.fromReceiverFen });
  if (reversal.feeFen > 0) out.push({ account: { system: 'FEE' }, amountFen: -reversal.feeFen });
  for (const l of reversal.lines) {
    out.push({ account: l.kind === 'COMMISSION' ? { system: 'COMMISSION' } : { memberId: l.memberId!, kind }, amountFen: -l.amountFen });
  }
  return out;
}
