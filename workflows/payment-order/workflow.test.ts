import { randomUUID } from 'node:crypto';
import type { Activities } from '../../activities';
import { keepHistory } from '../../test/support/histories';
import { runWorker, workflowTestEnvForFile } from '../../test/support/workflow-env';
import type { PaymentOrderInput } from './messages';
import { paymentOrderStatusQuery } from './messages';
import { CHANNEL_DECISION_TIMEOUT_MS, paymentOrder } from './workflow';

type Answer = 'PROCESSING' | 'SUCCESS' | 'FAILED' | 'CLOSED';

/** A channel double: answers the send, then each query in turn, then the close. */
function channelAnswering(send: Answer, queries: Answer[], close: Exclude<Answer, 'PROCESSING'> = 'CLOSED') {
  const calls: string[] = [];
  let q = 0;
  const activities: Partial<Activities> = {
    async sendOrderToChannel() {
      calls.push('send');
      return send;
    },
    async queryOrderAtChannel() {
      calls.push('query');
      return queries[Math.min(q++, queries.length - 1)]!;
    },
    async closeOrderAtChannel() {
      calls.push('close');
      return close;
    },
  };
  return { activities, calls };
}

describe('an order through the payment channel (time-skipping test server)', () => {
  const env = workflowTestEnvForFile();
  const input = (): PaymentOrderInput => ({ orderId: randomUUID(), orderNo: `YST${randomUUID().slice(0, 8)}`, applicationId: randomUUID() });

  it('queries at growing intervals until the channel decides, then ends with its decision', async () => {
    const ch = channelAnswering('PROCESSING', ['PROCESSING', 'PROCESSING', 'SUCCESS']);
    await runWorker(env, ch.activities, async (taskQueue) => {
      const h = await env.client.workflow.start(paymentOrder, { taskQueue, workflowId: `payment-order:${randomUUID()}`, args: [input()] });
      expect(await h.result()).toBe('SUCCESS');
      expect(await h.query(paymentOrderStatusQuery)).toEqual({ channelStatus: 'SUCCESS', queries: 3 });
      await keepHistory(env.client, h.workflowId, 'succeeded-after-queries');
    });
    expect(ch.calls).toEqual(['send', 'query', 'query', 'query']);
  });

  it('a decision in the channel’s first answer ends the flow without a query', async () => {
    const ch = channelAnswering('FAILED', []);
    await runWorker(env, ch.activities, async (taskQueue) => {
      const h = await env.client.workflow.start(paymentOrder, { taskQueue, workflowId: `payment-order:${randomUUID()}`, args: [input()] });
      expect(await h.result()).toBe('FAILED');
      await keepHistory(env.client, h.workflowId, 'failed-at-once');
    });
    expect(ch.calls).toEqual(['send']);
  });

  it('a channel that never decides is asked to close after 30 minutes: CLOSED', async () => {
    const ch = channelAnswering('PROCESSING', ['PROCESSING']);
    await runWorker(env, ch.activities, async (taskQueue) => {
      const h = await env.client.workflow.start(paymentOrder, { taskQueue, workflowId: `payment-order:${randomUUID()}`, args: [input()] });
      expect(await h.result()).toBe('CLOSED');
      const run = await h.describe();
      const waited = run.closeTime!.getTime() - run.startTime.getTime();
      expect(waited).toBeGreaterThanOrEqual(CHANNEL_DECISION_TIMEOUT_MS);
      expect(waited).toBeLessThan(CHANNEL_DECISION_TIMEOUT_MS + 2 * 60_000);
      await keepHistory(env.client, h.workflowId, 'closed-after-timeout');
    });
    expect(ch.calls[0]).toBe('send');
    expect(ch.calls.at(-1)).toBe('close');
    // Quick at first, then every minute: about 35 queries in 30 minutes, not thousands.
    const queries = ch.calls.filter((c) => c === 'query').length;
    expect(queries).toBeGreaterThan(20);
    expect(queries).toBeLessThan(40);
  });

  it('a channel that decided while being closed wins: the order ends SUCCESS', async () => {
    const ch = channelAnswering('PROCESSING', ['PROCESSING'], 'SUCCESS');
    await runWorker(env, ch.activities, async (taskQueue) => {
      const h = await env.client.workflow.start(paymentOrder, { taskQueue, workflowId: `payment-order:${randomUUID()}`, args: [input()] });
      expect(await h.result()).toBe('SUCCESS');
      await keepHistory(env.client, h.workflowId, 'decided-while-closing');
    });
  });

  it('a paid 担保支付 waits its confirmation period, then what it still holds is confirmed', async () => {
    const ch = channelAnswering('SUCCESS', []);
    const confirmed: unknown[] = [];
    ch.activities.confirmGuaranteeRemainder = async (req) => {
      confirmed.push(req.orderId);
      return { confirmedFen: 1200 };
    };
    await runWorker(env, ch.activities, async (taskQueue) => {
      const order = { ...input(), guarantee: { confirmWithinMs: 7 * 24 * 3600_000 } };
      const h = await env.client.workflow.start(paymentOrder, { taskQueue, workflowId: `payment-order:${randomUUID()}`, args: [order] });
      expect(await h.result()).toBe('SUCCESS');
      const run = await h.describe();
      expect(run.closeTime!.getTime() - run.startTime.getTime()).toBeGreaterThanOrEqual(7 * 24 * 3600_000);
      expect(confirmed).toEqual([order.orderId]);
      await keepHistory(env.client, h.workflowId, 'guarantee-confirmed-after-period');
    });
  });

  it('a 担保支付 the channel refused waits for nothing', async () => {
    const ch = channelAnswering('FAILED', []);
    let asked = 0;
    ch.activities.confirmGuaranteeRemainder = async () => ((asked += 1), { confirmedFen: 0 });
    await runWorker(env, ch.activities, async (taskQueue) => {
      const h = await env.client.workflow.start(paymentOrder, {
        taskQueue,
        workflowId: `payment-order:${randomUUID()}`,
        args: [{ ...input(), guarantee: { confirmWithinMs: 7 * 24 * 3600_000 } }],
      });
      expect(await h.result()).toBe('FAILED');
    });
    expect(asked).toBe(0);
  });

  it('an order placed with a notify URL sends its result once decided, tried again while the platform fails', async () => {
    const ch = channelAnswering('PROCESSING', ['SUCCESS']);
    const sent: string[] = [];
    let attempts = 0;
    ch.activities.sendOrderResult = async (req) => {
      if (++attempts < 3) throw new Error('HTTP 503');
      sent.push(`${req.orderId}:${ch.calls.join(',')}`);
      return 'SENT';
    };
    await runWorker(env, ch.activities, async (taskQueue) => {
      const order = { ...input(), notify: true };
      const h = await env.client.workflow.start(paymentOrder, { taskQueue, workflowId: `payment-order:${randomUUID()}`, args: [order] });
      expect(await h.result()).toBe('SUCCESS');
      // After the channel's decision (send, one query), on the third attempt.
      expect(sent).toEqual([`${order.orderId}:send,query`]);
      await keepHistory(env.client, h.workflowId, 'result-sent-after-decision');
    });
    expect(attempts).toBe(3);
  });

  it('a platform that refuses callbacks for a day is given up on: the order keeps its decision', async () => {
    const ch = channelAnswering('FAILED', []);
    let attempts = 0;
    ch.activities.sendOrderResult = async () => {
      attempts++;
      throw new Error('connect ECONNREFUSED');
    };
    await runWorker(env, ch.activities, async (taskQueue) => {
      const h = await env.client.workflow.start(paymentOrder, { taskQueue, workflowId: `payment-order:${randomUUID()}`, args: [{ ...input(), notify: true }] });
      expect(await h.result()).toBe('FAILED');
      const run = await h.describe();
      const took = run.closeTime!.getTime() - run.startTime.getTime();
      expect(took).toBeGreaterThanOrEqual(23 * 3600_000);
      expect(took).toBeLessThan(26 * 3600_000);
      await keepHistory(env.client, h.workflowId, 'result-callback-given-up');
    });
    // Growing intervals up to an hour apart: a few dozen attempts in the day, not thousands.
    expect(attempts).toBeGreaterThan(10);
    expect(attempts).toBeLessThan(60);
  });

  it('a 担保支付 with a notify URL: the callback does not delay its confirmation period', async () => {
    const ch = channelAnswering('SUCCESS', []);
    const order = { ...input(), guarantee: { confirmWithinMs: 7 * 24 * 3600_000 }, notify: true };
    const events: string[] = [];
    ch.activities.sendOrderResult = async () => {
      events.push('result sent');
      return 'SENT';
    };
    ch.activities.confirmGuaranteeRemainder = async () => {
      events.push('confirmed');
      return { confirmedFen: 100 };
    };
    await runWorker(env, ch.activities, async (taskQueue) => {
      const h = await env.client.workflow.start(paymentOrder, { taskQueue, workflowId: `payment-order:${randomUUID()}`, args: [order] });
      expect(await h.result()).toBe('SUCCESS');
      const run = await h.describe();
      const took = run.closeTime!.getTime() - run.startTime.getTime();
      expect(took).toBeGreaterThanOrEqual(7 * 24 * 3600_000);
      expect(took).toBeLessThan(7 * 24 * 3600_000 + 3600_000);
      await keepHistory(env.client, h.workflowId, 'guarantee-with-result-callback');
    });
    expect(events).toEqual(['result sent', 'confirmed']);
  });
});
