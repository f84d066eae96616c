import { randomUUID } from 'node:crypto';
import { keepHistory } from '../../test/support/histories';
import { runWorker, workflowTestEnvForFile } from '../../test/support/workflow-env';
import { dataOverviewRefresh } from './workflow';

describe('数据概览 refresh (time-skipping test server)', () => {
  const env = workflowTestEnvForFile();

  it('one run recomputes the window once and answers what it covered', async () => {
    const calls: unknown[] = [];
    await runWorker(
      env,
      {
        async refreshTradeStats(req) {
          calls.push(req);
          return { from: '2026-09-02', to: '2026-11-30', rows: 42 };
        },
      },
      async (taskQueue) => {
        const h = await env.client.workflow.start(dataOverviewRefresh, { taskQueue, workflowId: `data-overview-${randomUUID()}`, args: [] });
        expect(await h.result()).toEqual({ from: '2026-09-02', to: '2026-11-30', rows: 42 });
        await keepHistory(env.client, h.workflowId, 'completed');
      },
    );
    expect(calls).toHaveLength(1);
  });
});
