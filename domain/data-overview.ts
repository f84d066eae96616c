/**
 * 数据概览: the transaction types the application centre counts, and the
 * range rules of its trend charts (at most 90 days, none in the future).
 */
import { businessDay, dayStart } from './ledger';

export const OVERVIEW_TYPES = {
  TOP_UP: '充值',
  CONSUMPTION: '消费',
  GUARANTEED_PAYMENT: '担保消费',
  WITHDRAWAL: '提现',
  REFUND: '退款',
  TRANSFER: '转账',
} as const;
export type OverviewType = keyof typeof OVERVIEW_TYPES;
export const OVERVIEW_TYPE_KEYS = Object.keys(OVERVIEW_TYPES) as OverviewType[];

/** 当日入金、提现、退款 (seed 000 §1.2.1): 入金 is 充值, 消费 and 担保消费-担保支付 together. */
export const TODAY_TOTALS: readonly { key: string; label: string; types: readonly OverviewType[] }[] = [
  { key: 'INFLOW', label: '入金', types: ['TOP_UP', 'CONSUMPTION', 'GUARANTEED_PAYMENT'] },
  { key: 'WITHDRAWAL', label: '提现', types: ['WITHDRAWAL'] },
  { key: 'REFUND', label: '退款', types: ['REFUND'] },
];

export const MAX_TREND_DAYS = 90;
/** How often the schedule refreshes the figures. */
export const REFRESH_EVERY_MINUTES = 5;

const DAY_MS = 24 * 3600 * 1000;

/** The Shanghai days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = dayStart(from).getTime(); t <= dayStart(to).getTime(); t += DAY_MS) days.push(businessDay(new Date(t)));
  return days;
}

/** Why a chosen range cannot be shown, or null. */
export function trendRangeProblem(from: string, to: string, today: string): string | null {
  if (from > to) return '开始日期不能晚于结束日期';
  if (to > today) return '结束日期不能晚于今天';
  if (daysBetween(from, to).length > MAX_TREND_DAYS) return `查询范围最多${MAX_TREND_DAYS}天`;
  return null;
}

/** The days a refresh recomputes: the whole chartable window, ending today. */
export function refreshWindow(now: Date): { from: string; to: string } {
  return { from: businessDay(new Date(now.getTime() - (MAX_TREND_DAYS - 1) * DAY_MS)), to: businessDay(now) };
}
