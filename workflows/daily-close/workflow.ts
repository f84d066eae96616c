/**
 * The daily close (期末余额): a Temporal Schedule starts it at 00:05 Shanghai time every day
 * (lib/adapters/schedules.ts); one run closes every business day not closed yet, so a day missed
 * while the worker was down is closed by the next run. A system job, not a business flow.
 */
import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { DayClosed } from '../../lib/business/daily-close';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 10 },
});

export async function dailyClose(): Promise<DayClosed[]> {
  const closed = await acts.closeBusinessDays();
  // A closed day whose check failed stays closed (its rows are what was written); the failed run is what operators see.
  const bad = closed.filter((c) => c.mismatches > 0);
  if (bad.length > 0) {
    throw ApplicationFailure.nonRetryable(
      `期末余额核对不一致：${bad.map((c) => `${c.day}（${c.mismatches}个账户）`).join('、')}`,
      'daily_close.mismatch',
      closed,
    );
  }
  return closed;
}
