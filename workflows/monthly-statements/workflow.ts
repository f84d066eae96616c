/**
 * Monthly statement enablement (SPEC F6): the application applies (reason),
 * a branch reviewer decides (the forward to HQ), an operator configures; from
 * then on, at 02:00 Shanghai time on the 1st of every month, the previous
 * month's statement is generated — starting with the month of the
 * application, never an earlier one. A durable timer per month (continuing as
 * new every year) does what a cron schedule would, and is testable with time skipping.
 */
import { condition, continueAsNew, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { monthRange } from '../../domain/ledger';
import { businessFailure, fail } from '../failures';
import { awaitReview } from '../review';
import { type EnablementStage, type MonthlyStatementsInput, configureStatementsUpdate, enablementStatusQuery } from './messages';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes' },
});

const GENERATION_HOUR_MS = 2 * 3600 * 1000;

function nextMonthOf(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

export async function monthlyStatements(input: MonthlyStatementsInput): Promise<'REJECTED'> {
  let stage: EnablementStage = input.nextMonth ? 'ENABLED' : 'IN_REVIEW';
  let month = input.nextMonth ?? input.appliedMonth;
  let nextRunAt: number | null = null;
  let configured = !!input.nextMonth;
  setHandler(enablementStatusQuery, () => ({ stage, nextMonth: stage === 'ENABLED' ? month : null, nextRunAt: nextRunAt ? new Date(nextRunAt).toISOString() : null }));
  setHandler(
    configureStatementsUpdate,
    async ({ operatorId }) => {
      try {
        await acts.setEnablementStatus({ enablementId: input.enablementId, status: 'ENABLED', operatorId });
      } catch (err) {
        throw businessFailure(err);
      }
      configured = true;
      stage = 'ENABLED';
      return { stage };
    },
    { validator: (_req: { operatorId: string }) => void (stage !== 'AWAITING_CONFIGURATION' && fail('migration.wrong_state', '当前环节不允许配置')) },
  );

  if (!input.nextMonth) {
    const decision = await awaitReview(input.reviewItemId);
    if (!decision.approve) {
      stage = 'REJECTED';
      await acts.setEnablementStatus({ enablementId: input.enablementId, status: 'REJECTED', reason: decision.reason });
      return 'REJECTED';
    }
    stage = 'AWAITING_CONFIGURATION';
    await acts.setEnablementStatus({ enablementId: input.enablementId, status: 'AWAITING_CONFIGURATION' });
    await condition(() => configured);
  }

  for (let generated = 0; generated < 12; generated++) {
    // Month M is generated at 02:00 on the 1st of M+1 (Shanghai).
    nextRunAt = monthRange(month).end.getTime() + GENERATION_HOUR_MS;
    await sleep(Math.max(1, nextRunAt - Date.now()));
    await acts.publishMonthlyStatement({ applicationId: input.applicationId, month });
    month = nextMonthOf(month);
  }
  return continueAsNew<typeof monthlyStatements>({ ...input, nextMonth: month });
}
