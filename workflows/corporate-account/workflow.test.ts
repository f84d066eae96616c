import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Activities } from '../../activities';
import { consoleActivities } from '../../test/support/console-activities';
import { keepHistory } from '../../test/support/histories';
import { startWorkflowTestEnv, workflowBundleOf } from '../../test/support/workflow-env';
import { TASK_QUEUE, corporateAccountWorkflowId } from '../ids';
import { cancelFlowUpdate } from '../operator-messages';
import { confirmDepositUpdate, corporateAccountStatusQuery } from './messages';
import { corporateAccountVerification } from './workflow';

const HOUR = 3_600_000;
const RIGHT = 37;

/** The channel and the store as doubles: the deposit is decided after `queriesBeforeDecision` queries; the right amount is RIGHT fen. */
function fakeActivities(opts: { deposit?: 'SUCCESS' | 'FAILED'; queriesBeforeDecision?: number } = {}) {
  const calls: string[] = [];
  let queries = 0;
  let triesLeft = 3;
  const decided = () => ({ status: opts.deposit ?? 'SUCCESS', failureReason: opts.deposit === 'FAILED' ? '收款账户不存在或户名不符' : null });
  const console = consoleActivities();
  const finished: unknown[] = [];
  const activities = {
    ...console.activities,
    sendSmallDeposit: async () => {
      calls.push('sendSmallDeposit');
      return { status: 'PROCESSING' as const, failureReason: null };
    },
    queryDepositAtChannel: async () => {
      calls.push('queryDepositAtChannel');
      return ++queries > (opts.queriesBeforeDecision ?? 1) ? decided() : { status: 'PROCESSING' as const, failureReason: null };
    },
    closeDepositAtChannel: async () => decided(),
    awaitDepositConfirmation: async () => void calls.push('awaitDepositConfirmation'),
    checkDepositAmount: async ({ amountFen }: { amountFen: number }) => {
      if (amountFen === RIGHT) return { outcome: 'VERIFIED' as const, triesLeft };
      triesLeft--;
      return { outcome: triesLeft > 0 ? ('WRONG' as const) : ('FAILED' as const), triesLeft };
    },
    finishCorporateAccount: async (req: unknown) => void finished.push(req),
  } as unknown as Activities;
  return { activities, calls, console, finished };
}

describe('corporate account verification (small deposit)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await startWorkflowTestEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  async function run<T>(activities: Activities, fn: (handle: Awaited<ReturnType<typeof start>>) => Promise<T>): Promise<T> {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUE,
      workflowBundle: await workflowBundleOf(require.resolve('./workflow')),
      activities,
    });
    return worker.runUntil(async () => fn(await start()));
  }
  const start = () =>
    env.client.workflow.start(corporateAccountVerification, {
      workflowId: corporateAccountWorkflowId('APP001', randomUUID()),
      taskQueue: TASK_QUEUE,
      args: [{ verificationId: randomUUID(), memberId: randomUUID(), applicationId: randomUUID(), confirmWithinMs: 72 * HOUR }],
    });
  const failureOf = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) return { type: err.cause.type, details: err.cause.details };
      throw err;
    }
    return null;
  };
  const awaiting = async (handle: { query: (q: typeof corporateAccountStatusQuery) => Promise<{ stage: string }> }) => {
    for (let i = 0; i < 200 && (await handle.query(corporateAccountStatusQuery)).stage !== 'AWAITING_CONFIRMATION'; i++) await env.sleep(1_000);
    expect((await handle.query(corporateAccountStatusQuery)).stage).toBe('AWAITING_CONFIRMATION');
  };

  it('waits for the deposit, takes a wrong amount as one try lost, and verifies with the right one', async () => {
    const fake = fakeActivities({ queriesBeforeDecision: 2 });
    await run(fake.activities, async (handle) => {
      await awaiting(handle);
      expect(fake.calls.filter((c) => c === 'queryDepositAtChannel')).toHaveLength(3);
      const status = await handle.query(corporateAccountStatusQuery);
      expect(status.triesLeft).toBe(3);
      expect(fake.console.last()).toMatchObject({ stage: 'AWAITING_CONFIRMATION', waitingFor: 'MEMBER', deadline: status.confirmBy });
      expect(await failureOf(handle.executeUpdate(confirmDepositUpdate, { args: [{ amountFen: 12 }] }))).toEqual({
        type: 'corporate_account.amount_wrong',
        details: [{ triesLeft: 2 }],
      });
      expect(await handle.executeUpdate(confirmDepositUpdate, { args: [{ amountFen: RIGHT }] })).toMatchObject({ stage: 'VERIFIED', triesLeft: 2 });
      expect(await handle.result()).toBe('VERIFIED');
      expect(fake.console.last()).toMatchObject({ stage: 'VERIFIED', closed: true });
      await keepHistory(env.client, handle.workflowId, 'verified-after-wrong-amount');
    });
  });

  it('fails after three wrong amounts', async () => {
    const fake = fakeActivities();
    await run(fake.activities, async (handle) => {
      await awaiting(handle);
      await failureOf(handle.executeUpdate(confirmDepositUpdate, { args: [{ amountFen: 1 }] }));
      await failureOf(handle.executeUpdate(confirmDepositUpdate, { args: [{ amountFen: 2 }] }));
      expect((await failureOf(handle.executeUpdate(confirmDepositUpdate, { args: [{ amountFen: 3 }] })))?.type).toBe('corporate_account.tries_exhausted');
      expect(await handle.result()).toBe('FAILED');
      expect(await handle.query(corporateAccountStatusQuery)).toMatchObject({ stage: 'FAILED', triesLeft: 0, failureReason: '打款金额错误次数过多' });
      await keepHistory(env.client, handle.workflowId, 'tries-exhausted');
    });
  });

  it('expires when nobody confirms within 72 hours', async () => {
    const fake = fakeActivities();
    await run(fake.activities, async (handle) => {
      expect(await handle.result()).toBe('EXPIRED');
      expect(fake.finished).toEqual([expect.objectContaining({ stage: 'EXPIRED', reason: '未在72小时内确认打款金额' })]);
      await keepHistory(env.client, handle.workflowId, 'expired');
    });
  });

  it('a deposit the bank refused ends the verification without asking the enterprise', async () => {
    const fake = fakeActivities({ deposit: 'FAILED' });
    await run(fake.activities, async (handle) => {
      expect(await handle.result()).toBe('FAILED');
      expect(fake.calls).not.toContain('awaitDepositConfirmation');
      expect(fake.finished).toEqual([expect.objectContaining({ stage: 'FAILED', reason: '收款账户不存在或户名不符' })]);
      await keepHistory(env.client, handle.workflowId, 'deposit-refused');
    });
  });

  it('an operator cancels it while it waits for the enterprise', async () => {
    const fake = fakeActivities();
    await run(fake.activities, async (handle) => {
      await awaiting(handle);
      await handle.executeUpdate(cancelFlowUpdate, { args: [{ operatorId: 'op-1', reason: '企业申请更换账户' }] });
      expect(await handle.result()).toBe('CANCELLED');
      expect(fake.finished).toEqual([expect.objectContaining({ stage: 'CANCELLED', reason: '已取消：企业申请更换账户' })]);
      await keepHistory(env.client, handle.workflowId, 'cancelled-awaiting-confirmation');
    });
  });
});
