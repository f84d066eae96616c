import { randomUUID } from 'node:crypto';
import type { Activities } from '../../activities';
import { consoleActivities } from '../../test/support/console-activities';
import { keepHistory } from '../../test/support/histories';
import { monthOf, monthRange } from '../../domain/ledger';
import { runWorker, workflowTestEnvForFile } from '../../test/support/workflow-env';
import { reviewDecisionUpdate } from '../review-messages';
import { configureStatementsUpdate, enablementStatusQuery } from './messages';
import { monthlyStatements } from './workflow';

describe('monthly statement enablement (time-skipping test server)', () => {
  const env = workflowTestEnvForFile();

  function fakes(clock: () => Promise<number>) {
    const generated: { month: string; at: number }[] = [];
    const statuses: string[] = [];
    const activities: Partial<Activities> = {
      ...consoleActivities().activities,
      async recordReviewDecision() {},
      async setEnablementStatus({ status }) {
        statuses.push(status);
      },
      async publishMonthlyStatement({ month }) {
        generated.push({ month, at: await clock() });
        return 1;
      },
    };
    return { activities, generated, statuses };
  }

  const withWorker = <T>(activities: Partial<Activities>, fn: (taskQueue: string) => Promise<T>) => runWorker(env, activities, fn);

  it('after approval and configuration, generates the application month on the 1st of the next month at 02:00, then every month', async () => {
    const f = fakes(() => env.currentTimeMs());
    await withWorker(f.activities, async (taskQueue) => {
      const appliedMonth = monthOf(new Date(await env.currentTimeMs()));
      const h = await env.client.workflow.start(monthlyStatements, {
        taskQueue,
        workflowId: `ms-${randomUUID()}`,
        args: [{ enablementId: 'e1', reviewItemId: 'r1', applicationId: 'a1', appliedMonth }],
      });
      await h.executeUpdate(reviewDecisionUpdate, { args: [{ reviewItemId: 'r1', approve: true, reason: '', reviewerId: 'b', reviewerName: '分公司' }] });
      while ((await h.query(enablementStatusQuery)).stage !== 'AWAITING_CONFIGURATION') await new Promise((r) => setTimeout(r, 20));
      expect(f.generated).toHaveLength(0);
      await h.executeUpdate(configureStatementsUpdate, { args: [{ operatorId: 'op' }] });
      const firstRun = monthRange(appliedMonth).end.getTime() + 2 * 3600 * 1000;
      // Skip ahead past two generations.
      await env.sleep(firstRun - (await env.currentTimeMs()) + 40 * 86_400_000);
      while (f.generated.length < 2) await new Promise((r) => setTimeout(r, 20));
      expect(f.generated[0]!.month).toBe(appliedMonth);
      expect(f.generated[0]!.at).toBeGreaterThanOrEqual(firstRun);
      expect(f.generated[0]!.at - firstRun).toBeLessThan(3600 * 1000);
      expect(new Date(f.generated[0]!.at + 8 * 3600 * 1000).toISOString().slice(8, 13)).toBe('01T02'); // the 1st, 02:xx Shanghai
      expect(f.generated[1]!.month > appliedMonth).toBe(true);
      expect(f.statuses).toEqual(['AWAITING_CONFIGURATION', 'ENABLED']);
      await h.terminate();
      await keepHistory(env.client, h.workflowId, 'generated-monthly');
    });
  });

  it('a rejected application never generates anything', async () => {
    const f = fakes(() => env.currentTimeMs());
    await withWorker(f.activities, async (taskQueue) => {
      const h = await env.client.workflow.start(monthlyStatements, {
        taskQueue,
        workflowId: `ms-${randomUUID()}`,
        args: [{ enablementId: 'e2', reviewItemId: 'r2', applicationId: 'a1', appliedMonth: '2026-11' }],
      });
      await h.executeUpdate(reviewDecisionUpdate, {
        args: [{ reviewItemId: 'r2', approve: false, reason: '无需开通', reviewerId: 'b', reviewerName: '分公司' }],
      });
      expect(await h.result()).toBe('REJECTED');
      expect(f.statuses).toEqual(['REJECTED']);
      expect(f.generated).toHaveLength(0);
      await keepHistory(env.client, h.workflowId, 'rejected');
    });
  });

  it('after twelve generations it continues as new with the next month, and generates on from there', async () => {
    const f = fakes(() => env.currentTimeMs());
    await withWorker(f.activities, async (taskQueue) => {
      const workflowId = `ms-${randomUUID()}`;
      const appliedMonth = monthOf(new Date(await env.currentTimeMs()));
      const h = await env.client.workflow.start(monthlyStatements, {
        taskQueue,
        workflowId,
        args: [{ enablementId: 'e3', reviewItemId: 'r3', applicationId: 'a1', appliedMonth }],
      });
      await h.executeUpdate(reviewDecisionUpdate, { args: [{ reviewItemId: 'r3', approve: true, reason: '', reviewerId: 'b', reviewerName: '分公司' }] });
      while ((await h.query(enablementStatusQuery)).stage !== 'AWAITING_CONFIGURATION') await new Promise((r) => setTimeout(r, 20));
      await h.executeUpdate(configureStatementsUpdate, { args: [{ operatorId: 'op' }] });
      await env.sleep(400 * 86_400_000);
      while (f.generated.length < 13) await new Promise((r) => setTimeout(r, 20));
      const first = await env.client.workflow.getHandle(workflowId, h.firstExecutionRunId).describe();
      expect(first.status.name).toBe('CONTINUED_AS_NEW');
      // Thirteen consecutive months, none twice, none skipped across the new run.
      const months = f.generated.slice(0, 13).map((g) => g.month);
      expect(new Set(months).size).toBe(13);
      expect(months[0]).toBe(appliedMonth);
      expect(months[12]).toBe(`${Number(appliedMonth.slice(0, 4)) + 1}-${appliedMonth.slice(5)}`);
      await env.client.workflow.getHandle(workflowId).terminate();
      await keepHistory(env.client, workflowId, 'continued-as-new', h.firstExecutionRunId);
    });
  });
});
