/**
 * The product's Temporal Schedules, made sure of at every worker start
 * (creating one that exists is a no-op; a changed interval is updated).
 */
import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import { REFRESH_EVERY_MINUTES } from '../../domain/data-overview';
import type { Config } from './config';

export const DATA_OVERVIEW_SCHEDULE_ID = 'data-overview-refresh';
export const DAILY_CLOSE_SCHEDULE_ID = 'daily-close';
export const DAILY_SETTLEMENT_SCHEDULE_ID = 'daily-settlement';
export const AUTO_WITHDRAWALS_SCHEDULE_ID = 'auto-withdrawals';
/** 自动提现 looks for members whose time has come this often (a member's withdrawal leaves within this of its time). */
export const AUTO_WITHDRAWALS_EVERY = '10m';

/** 账后结算 (T1): at 00:30 Shanghai time, after the day was closed. */
const DAILY_SETTLEMENT_SPEC = { calendars: [{ hour: 0, minute: 30 }], timezone: 'Asia/Shanghai' };

/** 期末余额: five minutes after midnight in Shanghai, when the business day just ended is closed. */
const DAILY_CLOSE_SPEC = { calendars: [{ hour: 0, minute: 5 }], timezone: 'Asia/Shanghai' };

export async function ensureSchedules(client: Client, config: Config): Promise<void> {
  const options = {
    scheduleId: DATA_OVERVIEW_SCHEDULE_ID,
    spec: { intervals: [{ every: `${REFRESH_EVERY_MINUTES}m` }] },
    action: { type: 'startWorkflow' as const, workflowType: 'dataOverviewRefresh', taskQueue: config.TEMPORAL_TASK_QUEUE, args: [] as [] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '10m' },
  };
  try {
    await client.schedule.create(options);
    // The first figures right away, not 5 minutes after the first start.
    await client.schedule.getHandle(DATA_OVERVIEW_SCHEDULE_ID).trigger();
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(DATA_OVERVIEW_SCHEDULE_ID).update((prev) => ({ ...prev, spec: options.spec }));
  }
  try {
    await client.schedule.create({
      scheduleId: DAILY_CLOSE_SCHEDULE_ID,
      spec: DAILY_CLOSE_SPEC,
      action: { type: 'startWorkflow', workflowType: 'dailyClose', taskQueue: config.TEMPORAL_TASK_QUEUE, args: [] },
      // A run missed by up to a day still runs; a later one catches up every day left open anyway.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(DAILY_CLOSE_SCHEDULE_ID).update((prev) => ({ ...prev, spec: DAILY_CLOSE_SPEC }));
  }
  try {
    await client.schedule.create({
      scheduleId: DAILY_SETTLEMENT_SCHEDULE_ID,
      spec: DAILY_SETTLEMENT_SPEC,
      action: { type: 'startWorkflow', workflowType: 'dailySettlement', taskQueue: config.TEMPORAL_TASK_QUEUE, args: [] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(DAILY_SETTLEMENT_SCHEDULE_ID).update((prev) => ({ ...prev, spec: DAILY_SETTLEMENT_SPEC }));
  }
  try {
    await client.schedule.create({
      scheduleId: AUTO_WITHDRAWALS_SCHEDULE_ID,
      spec: { intervals: [{ every: AUTO_WITHDRAWALS_EVERY }] },
      action: { type: 'startWorkflow', workflowType: 'autoWithdrawals', taskQueue: config.TEMPORAL_TASK_QUEUE, args: [] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '10m' },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
}
