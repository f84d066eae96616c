import { randomUUID } from 'node:crypto';
import type { Activities } from '../../activities';
import { consoleActivities } from '../../test/support/console-activities';
import { keepHistory } from '../../test/support/histories';
import { runWorker, workflowTestEnvForFile } from '../../test/support/workflow-env';
import { memberEventDeliveryStatusQuery, wakeSignal } from './messages';
import { memberEventDelivery } from './workflow';

const MINUTE = 60_000;

describe('member event delivery (time-skipping test server)', () => {
  const env = workflowTestEnvForFile();

  /** An endpoint's queue of events: `pending` are waiting; the webhook is switched off by `stop()`. */
  function fakeDelivery() {
    let pending = 0;
    let delivered = 0;
    let stopped = false;
    let calls = 0;
    const console = consoleActivities();
    const activities: Partial<Activities> = {
      ...console.activities,
      async deliverMemberEvents() {
        calls++;
        if (stopped) return { stopped: true, delivered: 0, more: false, lastEventId: null };
        // At most two events per call, as a page of the real activity.
        const now = Math.min(2, pending);
        pending -= now;
        delivered += now;
        return { stopped: false, delivered: now, more: pending > 0, lastEventId: delivered ? String(delivered) : null };
      },
    };
    return { activities, console, add: (n: number) => void (pending += n), stop: () => void (stopped = true), calls: () => calls };
  }

  it('delivers waiting events page by page when woken, polls when nobody wakes it, and ends when the webhook is switched off', async () => {
    const f = fakeDelivery();
    await runWorker(env, f.activities, async (taskQueue) => {
      f.add(5);
      const h = await env.client.workflow.start(memberEventDelivery, {
        taskQueue,
        workflowId: `d-${randomUUID()}`,
        args: [{ applicationId: 'a1', pollMs: 5 * MINUTE }],
      });
      for (;;) {
        const s = await h.query(memberEventDeliveryStatusQuery);
        if (s.delivered === 5 && s.stage === 'IDLE') break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect((await h.query(memberEventDeliveryStatusQuery)).lastEventId).toBe('5');
      // Nobody signals: the next poll comes after pollMs and finds the new event.
      f.add(1);
      await env.sleep(5 * MINUTE + 1000);
      for (;;) {
        if ((await h.query(memberEventDeliveryStatusQuery)).delivered === 6) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      f.stop();
      await h.signal(wakeSignal);
      expect(await h.result()).toBe('STOPPED');
      expect(f.console.last()).toMatchObject({ flow: 'member-event-delivery', stage: 'STOPPED', closed: true, waitingFor: 'NOBODY' });
      await keepHistory(env.client, h.workflowId, 'delivered-stopped');
    });
  });

  it('continues as new before its history grows without bound, and keeps delivering', async () => {
    const f = fakeDelivery();
    await runWorker(env, f.activities, async (taskQueue) => {
      const workflowId = `d-${randomUUID()}`;
      const h = await env.client.workflow.start(memberEventDelivery, { taskQueue, workflowId, args: [{ applicationId: 'a1', pollMs: MINUTE }] });
      // An idle endpoint polled every minute for hours: each poll is a timer and an activity.
      await env.sleep(12 * 60 * MINUTE);
      let first = await env.client.workflow.getHandle(workflowId, h.firstExecutionRunId).describe();
      for (let i = 0; i < 200 && first.status.name === 'RUNNING'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        first = await env.client.workflow.getHandle(workflowId, h.firstExecutionRunId).describe();
      }
      expect(first.status.name).toBe('CONTINUED_AS_NEW');
      f.add(1);
      f.stop();
      await env.client.workflow.getHandle(workflowId).signal(wakeSignal);
      expect(await env.client.workflow.getHandle(workflowId).result()).toBe('STOPPED');
      await keepHistory(env.client, workflowId, 'continued-as-new', h.firstExecutionRunId);
    });
  });
});
