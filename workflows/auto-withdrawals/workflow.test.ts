import { randomUUID } from 'node:crypto';
import { keepHistory } from '../../test/support/histories';
import { runWorker, workflowTestEnvForFile } from '../../test/support/workflow-env';
import { autoWithdrawals } from './workflow';

describe('自动提现 (time-skipping test server)', () => {
  const env = workflowTestEnvForFile();

  it('starts each placed withdrawal’s payment flow as a child that outlives the run; one started already is left alone', async () => {
    const orders = [0, 1].map(() => {
      const orderNo = `YST${randomUUID().slice(0, 8)}`;
      return { orderId: randomUUID(), orderNo, applicationId: randomUUID(), workflowId: `payment-order:${orderNo}` };
    });
    const sent: string[] = [];
    await runWorker(
      env,
      {
        placeDueWithdrawals: async () => orders,
        sendOrderToChannel: async (req) => (sent.push(req.orderNo), 'SUCCESS'),
      },
      async (taskQueue) => {
        const h = await env.client.workflow.start(autoWithdrawals, { taskQueue, workflowId: `auto-withdrawals-${randomUUID()}`, args: [] });
        expect(await h.result()).toEqual({ started: 2 });
        for (const o of orders) expect(await env.client.workflow.getHandle(o.workflowId).result()).toBe('SUCCESS');
        await keepHistory(env.client, h.workflowId, 'started-children');
        // A second run that finds the same orders (its first stopped before starting them all) starts none twice.
        const again = await env.client.workflow.start(autoWithdrawals, { taskQueue, workflowId: `auto-withdrawals-${randomUUID()}`, args: [] });
        expect(await again.result()).toEqual({ started: 0 });
      },
    );
    expect(sent.sort()).toEqual(orders.map((o) => o.orderNo).sort());
  });
});
