/** The daily close's activity: every business day not closed yet, up to yesterday (Shanghai, on the app's clock). */
import type pg from 'pg';
import { businessDay } from '../../domain/ledger';
import type { Clock } from '../../lib/adapters/clock';
import { type DayClosed, closeBusinessDays } from '../../lib/business/daily-close';

export function createDailyCloseActivities(deps: { sql: pg.Pool; clock: Clock }) {
  return {
    async closeBusinessDays(): Promise<DayClosed[]> {
      return closeBusinessDays(deps.sql, businessDay(deps.clock.now()));
    },
  };
}
