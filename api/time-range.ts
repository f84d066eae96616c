/**
 * Date ranges of queries: Shanghai calendar days, `from` … `to` inclusive,
 * defaulting to the current month, at most 90 days.
 */
import { BusinessError } from '../domain/errors';
import { businessDay, dayStart } from '../domain/ledger';

export const MAX_RANGE_DAYS = 90;

export function dayRange(from: string | undefined, to: string | undefined, now: Date): { start: Date; end: Date; from: string; to: string } {
  const today = businessDay(now);
  const f = from ?? `${today.slice(0, 7)}-01`;
  const t = to ?? today;
  if (f > t) throw new BusinessError('query.range_invalid');
  const start = dayStart(f);
  const end = new Date(dayStart(t).getTime() + 86_400_000);
  if ((end.getTime() - start.getTime()) / 86_400_000 > MAX_RANGE_DAYS) throw new BusinessError('query.range_too_long');
  return { start, end, from: f, to: t };
}
