/** 自动提现's step: today's withdrawals of the members whose time has come (on the app's clock). */
import type pg from 'pg';
import type { Clock } from '../../lib/adapters/clock';
import { type DueWithdrawal, placeDueWithdrawals } from '../../lib/business/auto-withdrawals';

export function createAutoWithdrawalActivities(deps: { sql: pg.Pool; clock: Clock }) {
  return {
    async placeDueWithdrawals(): Promise<DueWithdrawal[]> {
      return placeDueWithdrawals(deps.sql, deps.clock.now());
    },
  };
}
