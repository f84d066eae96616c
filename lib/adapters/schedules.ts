/**
 * The product's Temporal Schedules, made sure of at every worker start
 * (creating one that exists is a no-op; a changed interval is updated).
 */
import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy, type ScheduleSpec } from '@temporalio/client';
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

/** One schedule of a system job: the workflow it starts, when, and how late a missed run may still run. */
interface SystemJob {
  scheduleId: string;
  workflowType: string;
  spec: ScheduleSpec;
  catchupWindow: string;
  /** Run it once right away when the schedule is new (figures that should not wait for the first interval). */
  triggerWhenCreated?: boolean;
}

function systemJobs(): SystemJob[] {
  return [
    {
      scheduleId: DATA_OVERVIEW_SCHEDULE_ID,
      workflowType: 'dataOverviewRefresh',
      spec: { intervals: [{ every: `${REFRESH_EVERY_MINUTES}m` }] },
      catchupWindow: '10m',
      // The first figures right away, not 5 minutes after the first start.
      triggerWhenCreated: true,
    },
    // A close missed by up to a day still runs; a later one catches up every day left open anyway.
    { scheduleId: DAILY_CLOSE_SCHEDULE_ID, workflowType: 'dailyClose', spec: DAILY_CLOSE_SPEC, catchupWindow: '1 day' },
    { scheduleId: DAILY_SETTLEMENT_SCHEDULE_ID, workflowType: 'dailySettlement', spec: DAILY_SETTLEMENT_SPEC, catchupWindow: '1 day' },
    {
      scheduleId: AUTO_WITHDRAWALS_SCHEDULE_ID,
      workflowType: 'autoWithdrawals',
      spec: { intervals: [{ every: AUTO_WITHDRAWALS_EVERY }] },
      catchupWindow: '10m',
    },
  ];
}

export async function ensureSchedules(client: Client, config: Config): Promise<void> {
  for (const job of systemJobs()) {
    try {
      await client.schedule.create({
        scheduleId: job.scheduleId,
        spec: job.spec,
        action: { type: 'startWorkflow', workflowType: job.workflowType, taskQueue: config.TEMPORAL_TASK_QUEUE, args: [] },
        // A system job runs one at a time: a run still going when the next is due makes it skip.
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: job.catchupWindow },
      });
      if (job.triggerWhenCreated) await client.schedule.getHandle(job.scheduleId).trigger();
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      // A changed timing is taken over by the schedule that exists.
      await client.schedule.getHandle(job.scheduleId).update((prev) => ({ ...prev, spec: job.spec }));
    }
  }
}
