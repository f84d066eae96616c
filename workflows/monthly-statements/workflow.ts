/**
 * Monthly statement enablement (SPEC F6): the application applies (reason),
 * a branch reviewer decides (the forward to HQ), an operator configures; from
 * then on, at 02:00 Shanghai time on the 1st of every month, the previous
 * month's statement is generated — starting with the month of the
 * application, never an earlier one. A durable timer per month (continuing as
 * new every year) does what a cron schedule would, and is testable with time skipping.
 */
import { condition, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import { lettingHandlersFinish } from '../handlers';
import type { Activities } from '../../activities';
import { monthRange } from '../../domain/ledger';
import { continueFresh, runBudget } from '../continue-as-new';
import { businessFailure, refusalsOf } from '../failures';
import { consoleStages, flowState } from '../flow-state';
import { awaitReview } from '../review';
import { type EnablementStage, type MonthlyStatementsInput, configureStatementsUpdate, enablementStatusQuery } from './messages';

const refuse = refusalsOf('statement');

/** Statements generated per run: a fresh run every year keeps the history short. */
const MONTHS_PER_RUN = 12;

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes' },
});

// Publishing gives up after a few attempts and waits for an operator's 重试.
const publisher = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes', maximumAttempts: 6 },
});

const CONSOLE = consoleStages<EnablementStage>({
  IN_REVIEW: ['分公司审核', 'REVIEWER'],
  AWAITING_CONFIGURATION: ['待总部运营配置', 'OPERATOR'],
  ENABLED: ['已开通，按月生成', 'SYSTEM'],
  REJECTED: ['已驳回', 'NOBODY'],
});

const GENERATION_HOUR_MS = 2 * 3600 * 1000;

function nextMonthOf(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** Waits for running handlers before it returns or continues as new. */
export const monthlyStatements = lettingHandlersFinish('monthlyStatements', monthlyStatementsFlow);

async function monthlyStatementsFlow(input: MonthlyStatementsInput): Promise<'REJECTED'> {
  let stage: EnablementStage = input.nextMonth ? 'ENABLED' : 'IN_REVIEW';
  let month = input.nextMonth ?? input.appliedMonth;
  let nextRunAt: number | null = null;
  let configured = !!input.nextMonth;
  const consoleStage = () => CONSOLE(stage, { deadline: nextRunAt ? new Date(nextRunAt).toISOString() : null });
  const flow = flowState({ flow: 'monthly-statements', applicationId: input.applicationId }, consoleStage());
  setHandler(enablementStatusQuery, () => ({
    stage,
    nextMonth: stage === 'ENABLED' ? month : null,
    nextRunAt: nextRunAt ? new Date(nextRunAt).toISOString() : null,
  }));
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
      void flow.report(consoleStage());
      return { stage };
    },
    { validator: refuse(() => stage !== 'AWAITING_CONFIGURATION' && 'statement.wrong_stage') },
  );

  if (!input.nextMonth) {
    const decision = (await awaitReview(input.reviewItemId))!;
    if (!decision.approve) {
      stage = 'REJECTED';
      await acts.setEnablementStatus({ enablementId: input.enablementId, status: 'REJECTED', reason: decision.reason });
      await flow.report(consoleStage());
      return 'REJECTED';
    }
    stage = 'AWAITING_CONFIGURATION';
    await acts.setEnablementStatus({ enablementId: input.enablementId, status: 'AWAITING_CONFIGURATION' });
    void flow.report(consoleStage());
    await condition(() => configured);
  }

  for (const run = runBudget(MONTHS_PER_RUN); !run.spent(); run.use()) {
    // Month M is generated at 02:00 on the 1st of M+1 (Shanghai).
    nextRunAt = monthRange(month).end.getTime() + GENERATION_HOUR_MS;
    void flow.report(consoleStage());
    await sleep(Math.max(1, nextRunAt - Date.now()));
    const period = month;
    await flow.step('publishMonthlyStatement', () => publisher.publishMonthlyStatement({ applicationId: input.applicationId, month: period }));
    month = nextMonthOf(month);
  }
  return continueFresh<typeof monthlyStatements>(flow, { ...input, nextMonth: month });
}
