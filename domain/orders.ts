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
import { type AccountRef, type OrderType, type Posting, postingsFor } from './ledger';
import type { SplitLine } from './split';

export type OrderStatus = 'CREATED' | 'PROCESSING' | 'SUCCESS' | 'FAILED' | 'CLOSED';

/** The order kinds the product makes today; 担保消费 and 退款 follow. */
export type OrderKind = Extract<OrderType, 'TOP_UP' | 'CONSUMPTION' | 'WITHDRAWAL' | 'TRANSFER'>;
export const ORDER_KINDS: readonly OrderKind[] = ['TOP_UP', 'CONSUMPTION', 'WITHDRAWAL', 'TRANSFER'];

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

/** Through the channel: money in by card (COLLECT), money out to a card (PAYOUT); null: settled at once from balances. */
export function channelDirection(o: Pick<OrderTerms, 'kind' | 'paymentMethod'>): 'COLLECT' | 'PAYOUT' | null {
  if (o.kind === 'WITHDRAWAL') return 'PAYOUT';
  if (o.kind === 'TOP_UP') return 'COLLECT';
  if (o.kind === 'CONSUMPTION') return o.paymentMethod === 'BALANCE' ? null : 'COLLECT';
  return null;
}

/** What an order takes out of a member's 支付账户 before it is decided (reserved while the channel works on it). */
export function reservationOf(o: OrderTerms): { memberId: string; amountFen: number } | null {
  return o.kind === 'WITHDRAWAL' ? { memberId: o.receiverMemberId, amountFen: o.amountFen } : null;
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
export function successPostings(o: OrderTerms, postSettlement: boolean, split: readonly SplitLine[], feeFen: number): Posting[] {
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
