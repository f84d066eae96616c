/**
 * Orders, accounts and movements (SPEC F6 and the order/account menus): the
 * vocabulary with its Chinese words, and the double entry every order books.
 * Amounts are integer fen; days are Asia/Shanghai business days.
 */
import type { AgreementKind } from './agreement';

export type OrderType = 'TOP_UP' | 'CONSUMPTION' | 'GUARANTEED_PAYMENT' | 'GUARANTEE_CONFIRMATION' | 'WITHDRAWAL' | 'REFUND' | 'TRANSFER' | 'SETTLEMENT';
export type MemberAccountKind = 'BOOKKEEPING' | 'PAYMENT' | 'PENDING_SETTLEMENT';
/** The application's own accounts, one of each per application. */
export type SystemAccountKind = 'CLEARING' | 'GUARANTEE' | 'COMMISSION' | 'FEE';
export type AccountKind = MemberAccountKind | SystemAccountKind;
export type FundMode = 'POST_SETTLEMENT' | 'REALTIME_SETTLEMENT';

/** 订单类型-订单子类型, as statements and pages write them. */
export const ORDER_TYPE_LABELS: Record<OrderType, { type: string; subtype: string }> = {
  TOP_UP: { type: '充值', subtype: '充值' },
  CONSUMPTION: { type: '消费', subtype: '消费' },
  GUARANTEED_PAYMENT: { type: '担保消费', subtype: '担保支付' },
  GUARANTEE_CONFIRMATION: { type: '担保消费', subtype: '担保确认' },
  WITHDRAWAL: { type: '提现', subtype: '提现' },
  REFUND: { type: '退款', subtype: '退款' },
  TRANSFER: { type: '转账', subtype: '转账' },
  SETTLEMENT: { type: '结算', subtype: '账后结算' },
};

export const PAYMENT_METHOD_LABELS: Record<string, string> = {
  QUICK_PAY: '快捷支付',
  GATEWAY: '网关支付',
  WECHAT: '微信支付',
  ALIPAY: '支付宝支付',
  BALANCE: '余额支付',
};

export const CHANNEL_TYPE_LABELS: Record<string, string> = {
  ONLINE: '线上交易',
  POS: 'POS刷卡',
  SCAN: '扫码交易',
};

export const CARD_TYPE_LABELS: Record<string, string> = {
  DEBIT: '借记卡',
  CREDIT: '贷记卡',
};

export const ORDER_STATUS_LABELS: Record<string, string> = {
  CREATED: '已创建',
  SUCCESS: '交易成功',
  PROCESSING: '处理中',
  FAILED: '交易失败',
  CLOSED: '已关闭',
};

export const ACCOUNT_KIND_LABELS: Record<AccountKind, string> = {
  BOOKKEEPING: '簿记账户',
  PAYMENT: '支付账户',
  PENDING_SETTLEMENT: '待结算户',
  CLEARING: '渠道清算户',
  GUARANTEE: '担保中间户',
  COMMISSION: '平台抽佣户',
  FEE: '手续费户',
};

/** The two digits after the 应用编号 in an account number. */
export const ACCOUNT_KIND_CODES: Record<AccountKind, string> = {
  BOOKKEEPING: '01',
  PAYMENT: '02',
  PENDING_SETTLEMENT: '03',
  CLEARING: '91',
  GUARANTEE: '92',
  COMMISSION: '93',
  FEE: '94',
};

export const SYSTEM_ACCOUNT_KINDS: readonly SystemAccountKind[] = ['CLEARING', 'GUARANTEE', 'COMMISSION', 'FEE'];

/**
 * What a member signs when it signs up (online at the end of onboarding, with one code) and the
 * accounts each agreement opens (seed 000 §1.5):
 * - the 会员协议 (会员服务协议) opens the 簿记账户, and in post-settlement applications the 待结算户
 *   receipts land on;
 * - the 会员支付账户协议 opens the 支付账户. Realtime-settlement applications book receipts on it, so
 *   their members sign it at the same time; in post-settlement applications it is opened when the
 *   member signs the 客户委托结算授权函 (收单商户管理's signing links: SETTLEMENT_AUTHORISATION),
 *   which lets the platform settle the 待结算户 to it.
 */
export function agreementsAtSignUp(fundMode: FundMode): { kind: AgreementKind; opens: MemberAccountKind[] }[] {
  return fundMode === 'POST_SETTLEMENT'
    ? [{ kind: 'MEMBER_SERVICE', opens: ['BOOKKEEPING', 'PENDING_SETTLEMENT'] }]
    : [
        { kind: 'MEMBER_SERVICE', opens: ['BOOKKEEPING'] },
        { kind: 'PAYMENT_ACCOUNT_SERVICE', opens: ['PAYMENT'] },
      ];
}

/** The accounts a signed agreement opens outside sign-up: the 客户委托结算授权函 opens the 支付账户. */
export const ACCOUNTS_OPENED_BY: Partial<Record<AgreementKind, MemberAccountKind[]>> = { SETTLEMENT_AUTHORISATION: ['PAYMENT'] };

export const MEMBER_ACCOUNT_KINDS: readonly MemberAccountKind[] = ['BOOKKEEPING', 'PAYMENT', 'PENDING_SETTLEMENT'];

/** The label of a code, or the code itself when unknown, or '-' when there is none. */
export function label(map: Record<string, string>, code: string | null | undefined): string {
  if (!code) return '-';
  return map[code] ?? code;
}

/** Where a posting goes: a member's account of a kind, or a system account of the application. */
export type AccountRef = { memberId: string; kind: MemberAccountKind } | { system: SystemAccountKind };

export interface Posting {
  account: AccountRef;
  amountFen: number;
}

export interface OrderForPosting {
  type: OrderType;
  status: string;
  amountFen: number;
  receiverMemberId: string;
  payerMemberId: string | null;
  paymentMethod: string | null;
}

/**
 * The postings of an order; they always sum to zero. Receipts of a
 * post-settlement application land on the member's 待结算户, of a realtime one
 * on its 支付账户. Only successful orders move money.
 */
export function postingsFor(order: OrderForPosting, postSettlement: boolean): Posting[] {
  if (order.status !== 'SUCCESS' || order.amountFen <= 0) return [];
  const a = order.amountFen;
  const receipts: AccountRef = { memberId: order.receiverMemberId, kind: postSettlement ? 'PENDING_SETTLEMENT' : 'PAYMENT' };
  const clearing: AccountRef = { system: 'CLEARING' };
  const guarantee: AccountRef = { system: 'GUARANTEE' };
  const paidFrom: AccountRef = order.paymentMethod === 'BALANCE' && order.payerMemberId ? { memberId: order.payerMemberId, kind: 'PAYMENT' } : clearing;
  switch (order.type) {
    case 'TOP_UP':
      return [
        { account: { memberId: order.receiverMemberId, kind: 'PAYMENT' }, amountFen: a },
        { account: clearing, amountFen: -a },
      ];
    case 'CONSUMPTION':
      return [
        { account: receipts, amountFen: a },
        { account: paidFrom, amountFen: -a },
      ];
    case 'GUARANTEED_PAYMENT':
      return [
        { account: guarantee, amountFen: a },
        { account: paidFrom, amountFen: -a },
      ];
    case 'GUARANTEE_CONFIRMATION':
      return [
        { account: receipts, amountFen: a },
        { account: guarantee, amountFen: -a },
      ];
    case 'WITHDRAWAL':
      return [
        { account: { memberId: order.receiverMemberId, kind: 'PAYMENT' }, amountFen: -a },
        { account: clearing, amountFen: a },
      ];
    case 'REFUND':
      return [
        { account: receipts, amountFen: -a },
        { account: clearing, amountFen: a },
      ];
    case 'SETTLEMENT':
      // 账后结算: from the member's 待结算户 to its 支付账户.
      return [
        { account: { memberId: order.receiverMemberId, kind: 'PENDING_SETTLEMENT' }, amountFen: -a },
        { account: { memberId: order.receiverMemberId, kind: 'PAYMENT' }, amountFen: a },
      ];
    case 'TRANSFER':
      if (!order.payerMemberId) return [];
      return [
        { account: { memberId: order.payerMemberId, kind: 'PAYMENT' }, amountFen: -a },
        { account: { memberId: order.receiverMemberId, kind: 'PAYMENT' }, amountFen: a },
      ];
  }
}

const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;

/** The Shanghai business day (YYYY-MM-DD) of an instant. */
export function businessDay(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** An instant as people read it in Shanghai: "YYYY-MM-DD HH:mm:ss" (files, PDFs, exports). */
export function shanghaiDateTime(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().replace('T', ' ').slice(0, 19);
}

/** The instant a Shanghai day starts. */
export function dayStart(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`);
}

/** [start, end) of a Shanghai month `YYYY-MM`. */
export function monthRange(month: string): { start: Date; end: Date } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { start: dayStart(`${month}-01`), end: dayStart(`${next}-01`) };
}

export function monthOf(at: Date): string {
  return businessDay(at).slice(0, 7);
}

export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/**
 * Fen as a JSON number: amounts are BigInt in the database (no 21-million-yuan cap), and a
 * JavaScript number holds every fen exactly up to 2^53 (about 90 trillion yuan); past that it throws.
 */
export function fenNumber(fen: number | bigint): number {
  const n = Number(fen);
  if (!Number.isSafeInteger(n)) throw new RangeError(`amount ${fen} fen is beyond what a JSON number holds exactly`);
  return n;
}

/** Yuan with two decimals from fen, for files people read ("12.34"); no floating point involved. */
export function yuan(fen: number | bigint): string {
  const n = BigInt(fen);
  const sign = n < 0n ? '-' : '';
  const abs = n < 0n ? -n : n;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}
