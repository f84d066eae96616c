import { randomUUID } from 'node:crypto';
import { keepHistory } from '../../test/support/histories';
import { runWorker, workflowTestEnvForFile } from '../../test/support/workflow-env';
import { dailySettlement } from './workflow';

describe('the daily settlement (time-skipping test server)', () => {
  const env = workflowTestEnvForFile();

  it('one run settles the day and answers what it did', async () => {
    const run = { day: '2027-03-01', settled: 3, settledFen: 45_600, skipped: 1 };
    const calls: unknown[] = [];
    await runWorker(
      env,
      {
        async settlePendingBalances() {
          calls.push(1);
          return run;
        },
      },
      async (taskQueue) => {
        const h = await env.client.workflow.start(dailySettlement, { taskQueue, workflowId: `daily-settlement-${randomUUID()}`, args: [] });
        expect(await h.result()).toEqual(run);
        await keepHistory(env.client, h.workflowId, 'settled');
      },
    );
    expect(calls).toHaveLength(1);
  });
});
