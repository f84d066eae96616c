/** The daily settlement's activity: today's T1 settlement, on the app's clock (Shanghai business day). */
import type pg from 'pg';
import { businessDay } from '../../domain/ledger';
import type { Clock } from '../../lib/adapters/clock';
import { type SettlementRun, settleForDay } from '../../lib/business/settlement';

export function createSettlementActivities(deps: { sql: pg.Pool; clock: Clock }) {
  return {
    async settlePendingBalances(): Promise<SettlementRun> {
      const now = deps.clock.now();
      return settleForDay(deps.sql, businessDay(now), now);
    },
  };
}
