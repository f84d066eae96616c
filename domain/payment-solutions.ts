/** 支付解决方案 → 微企付 (portal manual §1.3.2): the days its pages default to. */
import { businessDay, dayStart } from './ledger';

const DAY_MS = 86_400_000;

/** 日终余额 may be asked for at most this many days at once. */
export const MAX_BALANCE_DAYS = 366;

/**
 * Files default to D-1 (a day's files exist once it has closed); end-of-day balances to the last
 * month: from the same day of the previous month (its last day when shorter) up to D-1.
 */
export function weiqifuDays(now: Date): { today: string; yesterday: string; monthAgo: string } {
  const today = businessDay(now);
  const yesterday = businessDay(new Date(dayStart(today).getTime() - DAY_MS));
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const lastOfPrevious = new Date(Date.UTC(y, m - 1, 0)).getUTCDate();
  const monthAgo = new Date(Date.UTC(y, m - 2, Math.min(d, lastOfPrevious))).toISOString().slice(0, 10);
  return { today, yesterday, monthAgo };
}
