import { randomUUID } from 'node:crypto';
import type { Activities } from '../../activities';
import { consoleActivities } from '../../test/support/console-activities';
import { keepHistory } from '../../test/support/histories';
import { cancelFlowUpdate } from '../operator-messages';
import { runWorker, workflowTestEnvForFile } from '../../test/support/workflow-env';
import { partySignedSignal, resendSignal, splitRuleStatusQuery, termsChangedSignal } from '../split-rule/messages';
import { splitRuleSigning } from '../split-rule/workflow';
import { signingBatchStatusQuery } from './messages';
import { CHUNK_SIZE, signingLinkBatch } from './workflow';

const DAY = 24 * 3600 * 1000;

describe('signing workflows (time-skipping test server)', () => {
  const env = workflowTestEnvForFile();

  const withWorker = <T>(activities: Partial<Activities>, fn: (taskQueue: string) => Promise<T>) => runWorker(env, activities, fn);

  describe('batch signing links', () => {
    /** Items that get a link; every 10th is skipped (no phone). Counts each item's processing. */
    function fakeChunks(options: { failFirstCallOf?: number; allSignedAfterMs?: number } = {}) {
      const processedTimes = new Map<number, number>();
      let startedAt: number | null = null;
      const counts: number[] = [];
      const calls: { fromSeq: number; toSeq: number }[] = [];
      let expired = 0;
      let failed = false;
      const reminders: number[] = [];
      const cancelled: string[] = [];
      const console = consoleActivities();
      const activities: Partial<Activities> = {
        ...console.activities,
        async remindBatchLinks() {
          reminders.push(await env.currentTimeMs());
          return 3;
        },
        async cancelSigningBatch({ reason }) {
          cancelled.push(reason);
        },
        async sendSigningChunk({ fromSeq, toSeq }) {
          calls.push({ fromSeq, toSeq });
          if (options.failFirstCallOf === fromSeq && !failed) {
            failed = true;
            throw new Error('SMS provider unavailable');
          }
          let sent = 0;
          let skipped = 0;
          for (let s = fromSeq; s < toSeq; s++) {
            if (processedTimes.has(s)) continue; // the real activity writes an outcome once
            processedTimes.set(s, 1);
            if (s % 10 === 9) skipped++;
            else sent++;
          }
          return { processed: sent + skipped, sent, skipped };
        },
        async completeSigningBatch() {
          startedAt = await env.currentTimeMs();
        },
        async unsignedBatchLinks() {
          const now = await env.currentTimeMs();
          counts.push(now);
          return options.allSignedAfterMs !== undefined && now - startedAt! >= options.allSignedAfterMs ? 0 : 3;
        },
        async expireBatchLinks() {
          expired++;
          return 0;
        },
      };
      return { activities, processedTimes, calls, reminders, cancelled, console, counts, expired: () => expired };
    }

    it('sends every item exactly once in bounded chunks, reports progress, and expires the links after the validity period', async () => {
      const fake = fakeChunks({ failFirstCallOf: CHUNK_SIZE });
      await withWorker(fake.activities, async (taskQueue) => {
        const total = CHUNK_SIZE * 5 + 17;
        const handle = await env.client.workflow.start(signingLinkBatch, {
          taskQueue,
          workflowId: `batch-${randomUUID()}`,
          args: [{ batchId: randomUUID(), total, validityMs: 7 * DAY }],
        });
        // Wait until the sending is over (the retried chunk included), then look before the deadline.
        for (;;) {
          const s = await handle.query(signingBatchStatusQuery);
          if (s.stage !== 'SENDING') {
            expect(s).toMatchObject({ total, processed: total, skipped: Math.floor((total + 1) / 10) });
            break;
          }
          await new Promise((r) => setTimeout(r, 50));
        }
        expect(fake.expired()).toBe(0);
        const result = await handle.result(); // time skips over the 7 days
        expect(result.stage).toBe('DONE');
        expect(fake.expired()).toBe(1);
        expect(fake.processedTimes.size).toBe(total);
        expect(Math.max(...fake.calls.map((c) => c.toSeq - c.fromSeq))).toBeLessThanOrEqual(CHUNK_SIZE);
        // the failed chunk was retried once
        expect(fake.calls.filter((c) => c.fromSeq === CHUNK_SIZE)).toHaveLength(2);
        // one reminder, a day before the links expire
        expect(fake.reminders).toHaveLength(1);
        expect(fake.console.last()).toMatchObject({ flow: 'signing-batch', stage: 'DONE', closed: true });
        expect(fake.console.reports.some((r) => r.stage === 'WAITING_FOR_SIGNATURES' && r.waitingFor === 'MEMBER' && r.deadline)).toBe(true);
        await keepHistory(env.client, handle.workflowId, 'sent-reminded-expired');
      });
    });

    it('an operator cancels while members are signing: links are revoked, nothing expires or reminds later', async () => {
      const fake = fakeChunks();
      await withWorker(fake.activities, async (taskQueue) => {
        const handle = await env.client.workflow.start(signingLinkBatch, {
          taskQueue,
          workflowId: `batch-${randomUUID()}`,
          args: [{ batchId: randomUUID(), total: 10, validityMs: 7 * DAY }],
        });
        while ((await handle.query(signingBatchStatusQuery)).stage === 'SENDING') await new Promise((r) => setTimeout(r, 30));
        await handle.executeUpdate(cancelFlowUpdate, { args: [{ operatorId: 'op', reason: '商户要求撤回' }] });
        const result = await handle.result();
        expect(result.stage).toBe('CANCELLED');
        expect(fake.cancelled).toEqual(['商户要求撤回']);
        expect(fake.expired()).toBe(0);
        expect(fake.reminders).toHaveLength(0);
        expect(fake.console.last()).toMatchObject({ stage: 'CANCELLED', closed: true, waitingFor: 'NOBODY' });
        await keepHistory(env.client, handle.workflowId, 'cancelled-while-signing');
      });
    });

    it('reminder rule: a 1-day link is reminded after half its validity, never with the invitation; a 6-hour link not at all', async () => {
      for (const [validityMs, expected] of [
        [DAY, DAY / 2],
        [6 * 3600 * 1000, null],
      ] as const) {
        const fake = fakeChunks();
        await withWorker(fake.activities, async (taskQueue) => {
          const handle = await env.client.workflow.start(signingLinkBatch, {
            taskQueue,
            workflowId: `batch-${randomUUID()}`,
            args: [{ batchId: randomUUID(), total: 10, validityMs }],
          });
          let sentAt = 0;
          while ((await handle.query(signingBatchStatusQuery)).stage === 'SENDING') await new Promise((r) => setTimeout(r, 30));
          const expiresAt = Date.parse((await handle.query(signingBatchStatusQuery)).expiresAt!);
          sentAt = expiresAt - validityMs;
          expect((await handle.result()).stage).toBe('DONE');
          if (expected === null) expect(fake.reminders).toEqual([]);
          else {
            expect(fake.reminders).toHaveLength(1);
            expect(fake.reminders[0]! - sentAt).toBeGreaterThanOrEqual(expected);
            expect(fake.reminders[0]! - sentAt).toBeLessThan(expected + 60_000);
          }
          if (expected !== null) await keepHistory(env.client, handle.workflowId, 'short-validity-reminded-at-half');
        });
      }
    });

    it('ends as soon as every member signed: the console shows 全部会员已签约, nothing expires and nobody is reminded', async () => {
      const fake = fakeChunks({ allSignedAfterMs: 5 * 3600 * 1000 });
      await withWorker(fake.activities, async (taskQueue) => {
        const handle = await env.client.workflow.start(signingLinkBatch, {
          taskQueue,
          workflowId: `batch-${randomUUID()}`,
          args: [{ batchId: randomUUID(), total: 10, validityMs: 7 * DAY }],
        });
        const result = await handle.result();
        expect(result.stage).toBe('DONE');
        const { startTime, closeTime } = await handle.describe();
        // found out at the first hourly look after the last signature (5 h), long before the 7 days
        expect(closeTime!.getTime() - startTime.getTime()).toBeLessThan(7 * 3600 * 1000);
        expect(fake.counts.length).toBeGreaterThanOrEqual(5);
        expect(fake.expired()).toBe(0);
        expect(fake.reminders).toEqual([]);
        expect(fake.console.last()).toMatchObject({ stage: 'DONE', stageLabel: '全部会员已签约', waitingFor: 'NOBODY', closed: true });
        await keepHistory(env.client, handle.workflowId, 'all-signed-early');
      });
    });

    it('continues as new before its history grows with the batch size', async () => {
      const fake = fakeChunks();
      await withWorker(fake.activities, async (taskQueue) => {
        const total = CHUNK_SIZE * 230; // more chunks than one run takes
        const workflowId = `batch-${randomUUID()}`;
        const handle = await env.client.workflow.start(signingLinkBatch, {
          taskQueue,
          workflowId,
          args: [{ batchId: randomUUID(), total, validityMs: DAY }],
        });
        const result = await handle.result();
        expect(result).toMatchObject({ processed: total, stage: 'DONE' });
        expect(fake.processedTimes.size).toBe(total);
        const firstRun = await env.client.workflow.getHandle(workflowId, handle.firstExecutionRunId).describe();
        expect(firstRun.status.name).toBe('CONTINUED_AS_NEW');
        expect(firstRun.historyLength).toBeLessThan(2_000);
        await keepHistory(env.client, handle.workflowId, 'continued-as-new', handle.firstExecutionRunId);
      });
    });
  });

  describe('split rule signing', () => {
    function fakeRule(parties: number) {
      let unsigned = parties;
      const rounds: string[] = [];
      let marked = 0;
      let reminded = 0;
      const activities: Partial<Activities> = {
        ...consoleActivities().activities,
        async remindSplitRuleLinks() {
          reminded++;
          return unsigned;
        },
        async sendSplitRuleLinks({ round }) {
          rounds.push(round);
          return { unsigned, sent: unsigned };
        },
        async splitRuleUnsignedCount() {
          return unsigned;
        },
        async markSplitRuleSigned() {
          marked++;
          return unsigned === 0;
        },
      };
      return { activities, rounds, sign: () => void unsigned--, marked: () => marked, reminded: () => reminded };
    }

    it('sends links on creation, re-sends on request and on edits, and makes the rule effective when all parties signed', async () => {
      const fake = fakeRule(3);
      await withWorker(fake.activities, async (taskQueue) => {
        const handle = await env.client.workflow.signalWithStart(splitRuleSigning, {
          taskQueue,
          workflowId: `split-${randomUUID()}`,
          args: [{ ruleId: randomUUID() }],
          signal: termsChangedSignal,
          signalArgs: [],
        });
        const waitFor = async (check: (s: { unsigned: number | null; rounds: number }) => boolean) => {
          for (;;) {
            const s = await handle.query(splitRuleStatusQuery);
            if (check(s)) return s;
            await new Promise((r) => setTimeout(r, 30));
          }
        };
        await waitFor((s) => s.rounds === 1 && s.unsigned === 3);
        fake.sign();
        await handle.signal(partySignedSignal);
        await waitFor((s) => s.unsigned === 2);
        // Days pass; nobody else signs: a reminder a day before the links expire, then 协议重发.
        await env.sleep(8 * DAY);
        expect(fake.reminded()).toBe(1);
        await handle.signal(resendSignal);
        await waitFor((s) => s.rounds === 2);
        expect(new Set(fake.rounds).size).toBe(2); // each round has its own key
        fake.sign();
        fake.sign();
        await handle.signal(partySignedSignal);
        expect(await handle.result()).toBe('SIGNED');
        expect(fake.marked()).toBe(1);
        await keepHistory(env.client, handle.workflowId, 'reminded-resent-signed');
      });
    });

    it('continues as new when a rule is signalled very often, and still takes effect', async () => {
      const fake = fakeRule(1);
      await withWorker(fake.activities, async (taskQueue) => {
        const workflowId = `split-${randomUUID()}`;
        const handle = await env.client.workflow.start(splitRuleSigning, { taskQueue, workflowId, args: [{ ruleId: randomUUID() }] });
        // A party's page re-checks its signature again and again (each check is a signal and a recount).
        const firstRun = env.client.workflow.getHandle(workflowId, handle.firstExecutionRunId);
        let first = await firstRun.describe();
        for (let i = 0; i < 3000 && first.status.name === 'RUNNING'; i++) {
          await handle.signal(partySignedSignal);
          if (i % 25 === 0) first = await firstRun.describe();
        }
        // The worker may still be working through the signals it was sent (a busy machine): the
        // run continues as new when it reaches them, so wait for that (bounded) rather than a fixed while.
        for (let i = 0; i < 1200 && first.status.name === 'RUNNING'; i++) {
          await new Promise((r) => setTimeout(r, 50));
          first = await firstRun.describe();
        }
        expect(first.status.name).toBe('CONTINUED_AS_NEW');
        fake.sign();
        await env.client.workflow.getHandle(workflowId).signal(partySignedSignal);
        expect(await env.client.workflow.getHandle(workflowId).result()).toBe('SIGNED');
        expect(fake.rounds).toHaveLength(1); // the new run only counts again, it sends nothing
        await keepHistory(env.client, workflowId, 'continued-as-new', handle.firstExecutionRunId);
      });
    });
  });
});
