/**
 * 账后结算, every day (T1): a Temporal Schedule starts it at 00:30 Shanghai time, after the daily
 * close (lib/adapters/schedules.ts). One run settles what each member's 待结算户 held at the end of
 * the day before to its 支付账户. A system job, not a business flow.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { SettlementRun } from '../../lib/business/settlement';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 10 },
});

export async function dailySettlement(): Promise<SettlementRun> {
  return acts.settlePendingBalances();
}
