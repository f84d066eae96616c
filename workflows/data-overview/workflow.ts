/**
 * 数据概览 refresh: one run recomputes the application centre's figures. A
 * Temporal Schedule starts it every 5 minutes (lib/adapters/schedules.ts); overlapping
 * runs are skipped. A system job, not a business flow: it does not appear in
 * the operator console (the Temporal UI lists the schedule and its runs).
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '4 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
});

export async function dataOverviewRefresh(): Promise<{ from: string; to: string; rows: number }> {
  return acts.refreshTradeStats({});
}
