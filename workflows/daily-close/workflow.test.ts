import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { type ApplicationFailure } from '@temporalio/common';
import { keepHistory } from '../../test/support/histories';
import { runWorker, workflowTestEnvForFile } from '../../test/support/workflow-env';
import { dailyClose } from './workflow';

describe('the daily close (time-skipping test server)', () => {
  const env = workflowTestEnvForFile();

  it('one run closes the days left open and answers what it closed', async () => {
    const days = [
      { day: '2027-02-27', accounts: 12, movements: 40, mismatches: 0 },
      { day: '2027-02-28', accounts: 12, movements: 3, mismatches: 0 },
    ];
    await runWorker(env, { closeBusinessDays: async () => days }, async (taskQueue) => {
      const h = await env.client.workflow.start(dailyClose, { taskQueue, workflowId: `daily-close-${randomUUID()}`, args: [] });
      expect(await h.result()).toEqual(days);
      await keepHistory(env.client, h.workflowId, 'closed');
    });
  });

  it('a day whose check found differences fails the run with the days and counts, for operators to see', async () => {
    const days = [{ day: '2027-02-28', accounts: 12, movements: 3, mismatches: 2 }];
    await runWorker(env, { closeBusinessDays: async () => days }, async (taskQueue) => {
      const h = await env.client.workflow.start(dailyClose, { taskQueue, workflowId: `daily-close-${randomUUID()}`, args: [] });
      const err = await h.result().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowFailedError);
      const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
      expect(cause.type).toBe('daily_close.mismatch');
      expect(cause.message).toBe('期末余额核对不一致：2027-02-28（2个账户）');
      await keepHistory(env.client, h.workflowId, 'mismatch-failed');
    });
  });
});
