import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { Activities } from '../../activities';
import { consoleActivities } from '../../test/support/console-activities';
import { cancelFlowUpdate } from '../operator-messages';
import { keepHistory } from '../../test/support/histories';
import { runWorker, workflowTestEnvForFile, updateFailureType } from '../../test/support/workflow-env';
import { closeWindowUpdate, extendWindowUpdate, importWindowStatusQuery } from '../import-window/messages';
import { importWindow } from '../import-window/workflow';
import { confirmConfigurationUpdate, migrationStatusQuery, submitMigrationFileUpdate } from '../member-migration/messages';
import { memberMigration } from '../member-migration/workflow';
import { type ReviewDecision, reviewDecisionUpdate } from '../review-messages';
import { batchImportStatusQuery } from './messages';
import { ROWS_PER_CHUNK, batchImport } from './workflow';

const DAY = 24 * 3600 * 1000;

describe('import window, batch import and migration workflows (time-skipping test server)', () => {
  const env = workflowTestEnvForFile();

  function fakes() {
    const calls: { name: string; args: any }[] = [];
    const executed = new Map<number, number>();
    const record =
      (name: string) =>
      async (args: any): Promise<any> => {
        calls.push({ name, args });
      };
    const console = consoleActivities();
    const activities: Partial<Activities> = {
      ...console.activities,
      async recordReviewDecision(d: ReviewDecision) {
        calls.push({ name: 'recordReviewDecision', args: d });
        if (d.reviewerId === 'applicant')
          throw ApplicationFailure.create({ type: 'review.own_submission', message: '不能审核自己提交的事项', nonRetryable: true });
      },
      openImportWindow: record('openImportWindow'),
      rejectImportWindow: record('rejectImportWindow'),
      extendImportWindow: record('extendImportWindow'),
      auditImportWindow: record('auditImportWindow'),
      closeImportWindow: record('closeImportWindow'),
      startImportExecution: record('startImportExecution'),
      rejectImportTask: record('rejectImportTask'),
      completeImportTask: record('completeImportTask'),
      async executeImportChunk({ fromRow, toRow }) {
        calls.push({ name: 'executeImportChunk', args: { fromRow, toRow } });
        for (let r = fromRow; r <= toRow; r++) executed.set(r, (executed.get(r) ?? 0) + 1);
        return toRow - fromRow + 1;
      },
      setMigrationStatus: record('setMigrationStatus'),
      configureMigration: record('configureMigration'),
    };
    return { activities, calls, executed, console, names: (n: string) => calls.filter((c) => c.name === n) };
  }

  const withWorker = <T>(activities: Partial<Activities>, fn: (taskQueue: string) => Promise<T>) => runWorker(env, activities, fn);

  const decision = (reviewItemId: string, approve: boolean, reviewerId = 'reviewer-1'): ReviewDecision => ({
    reviewItemId,
    approve,
    reason: approve ? '同意' : '材料不全',
    reviewerId,
    reviewerName: '审核员',
  });

  const failureType = updateFailureType;

  it('an approved window is open 14 days and closes by itself; extensions are bounded', async () => {
    const f = fakes();
    await withWorker(f.activities, async (taskQueue) => {
      const h = await env.client.workflow.start(importWindow, { taskQueue, workflowId: `w-${randomUUID()}`, args: [{ windowId: 'w1', reviewItemId: 'r1' }] });
      // Waiting for the reviewer for days changes nothing.
      await env.sleep(30 * DAY);
      expect((await h.query(importWindowStatusQuery)).stage).toBe('IN_REVIEW');
      expect(await failureType(h.executeUpdate(reviewDecisionUpdate, { args: [decision('other', true)] }))).toBe('review.not_pending');
      expect(await failureType(h.executeUpdate(reviewDecisionUpdate, { args: [decision('r1', true, 'applicant')] }))).toBe('review.own_submission');
      await h.executeUpdate(reviewDecisionUpdate, { args: [decision('r1', true)] });
      while ((await h.query(importWindowStatusQuery)).stage !== 'OPEN') await new Promise((r) => setTimeout(r, 20));
      const opened = f.names('openImportWindow')[0]!.args;
      expect(Date.parse(opened.closesAt) - Date.parse(opened.openedAt)).toBe(14 * DAY);
      expect(await failureType(h.executeUpdate(extendWindowUpdate, { args: [{ days: 14, operatorId: 'op', reason: '延期' }] }))).toBeUndefined();
      expect(await failureType(h.executeUpdate(extendWindowUpdate, { args: [{ days: 1, operatorId: 'op', reason: '再延期' }] }))).toBe(
        'import.extension_too_long',
      );
      expect(await h.result()).toBe('CLOSED'); // time skips to day 28
      expect(f.names('closeImportWindow')[0]!.args.note).toContain('14个自然日开放期已到');
      expect(f.names('extendImportWindow')).toHaveLength(1);
      await keepHistory(env.client, h.workflowId, 'extended-closed-by-itself');
    });
  });

  it('a rejected window never opens; an operator can close an open one early', async () => {
    const f = fakes();
    await withWorker(f.activities, async (taskQueue) => {
      const rejected = await env.client.workflow.start(importWindow, {
        taskQueue,
        workflowId: `w-${randomUUID()}`,
        args: [{ windowId: 'w2', reviewItemId: 'r2' }],
      });
      await rejected.executeUpdate(reviewDecisionUpdate, { args: [decision('r2', false)] });
      expect(await rejected.result()).toBe('REJECTED');
      expect(f.names('openImportWindow')).toHaveLength(0);
      await keepHistory(env.client, rejected.workflowId, 'rejected');

      const h = await env.client.workflow.start(importWindow, { taskQueue, workflowId: `w-${randomUUID()}`, args: [{ windowId: 'w3', reviewItemId: 'r3' }] });
      expect(await failureType(h.executeUpdate(closeWindowUpdate, { args: [{ operatorId: 'op', reason: '太早' }] }))).toBe('import.window_not_open');
      await h.executeUpdate(reviewDecisionUpdate, { args: [decision('r3', true)] });
      while ((await h.query(importWindowStatusQuery)).stage !== 'OPEN') await new Promise((r) => setTimeout(r, 20));
      await h.executeUpdate(closeWindowUpdate, { args: [{ operatorId: 'op', reason: '导入已完成' }] });
      expect(await h.result()).toBe('CLOSED');
      expect(f.names('closeImportWindow')[0]!.args.note).toBe('运营人员提前关闭：导入已完成');
      await keepHistory(env.client, h.workflowId, 'closed-early');
    });
  });

  it('an early close whose audit is still running is answered before the window closes (the flow waits for its handlers)', async () => {
    const f = fakes();
    const audits: string[] = [];
    const slowAudit: Partial<Activities> = {
      async auditImportWindow({ reason }) {
        await new Promise((r) => setTimeout(r, 400));
        audits.push(reason);
      },
    };
    await withWorker({ ...f.activities, ...slowAudit }, async (taskQueue) => {
      const h = await env.client.workflow.start(importWindow, { taskQueue, workflowId: `w-${randomUUID()}`, args: [{ windowId: 'w4', reviewItemId: 'r13' }] });
      await h.executeUpdate(reviewDecisionUpdate, { args: [decision('r13', true)] });
      while ((await h.query(importWindowStatusQuery)).stage !== 'OPEN') await new Promise((r) => setTimeout(r, 20));
      const answer = await h.executeUpdate(closeWindowUpdate, { args: [{ operatorId: 'op', reason: '提前结束' }] });
      expect(answer.stage).toBe('CLOSED');
      expect(await h.result()).toBe('CLOSED');
      expect(audits).toEqual(['提前结束']);
      await keepHistory(env.client, h.workflowId, 'closed-early-while-audit-runs');
    });
  });

  it('an approved import executes every row once in chunks and continues as new; a rejected one executes nothing', async () => {
    const f = fakes();
    await withWorker(f.activities, async (taskQueue) => {
      const totalRows = ROWS_PER_CHUNK * 103 + 5;
      const workflowId = `i-${randomUUID()}`;
      const h = await env.client.workflow.start(batchImport, { taskQueue, workflowId, args: [{ taskId: 't1', reviewItemId: 'r4', totalRows }] });
      expect((await h.query(batchImportStatusQuery)).stage).toBe('IN_REVIEW');
      await h.executeUpdate(reviewDecisionUpdate, { args: [decision('r4', true)] });
      expect(await h.result()).toBe('COMPLETED');
      expect(f.executed.size).toBe(totalRows);
      expect([...f.executed.values()].every((n) => n === 1)).toBe(true);
      const first = await env.client.workflow.getHandle(workflowId, h.firstExecutionRunId).describe();
      expect(first.status.name).toBe('CONTINUED_AS_NEW');
      expect(first.historyLength).toBeLessThan(2_000);
      await keepHistory(env.client, h.workflowId, 'executed-continued-as-new', h.firstExecutionRunId);

      const r = await env.client.workflow.start(batchImport, {
        taskQueue,
        workflowId: `i-${randomUUID()}`,
        args: [{ taskId: 't2', reviewItemId: 'r5', totalRows: 10 }],
      });
      await r.executeUpdate(reviewDecisionUpdate, { args: [decision('r5', false)] });
      expect(await r.result()).toBe('REJECTED');
      expect(f.names('rejectImportTask')[0]!.args).toEqual({ taskId: 't2', reason: '材料不全' });
      await keepHistory(env.client, r.workflowId, 'rejected');
      expect(f.executed.size).toBe(totalRows);
    });
  });

  it('an operator cancels an import or a window request before the decision: the review is withdrawn, nothing runs', async () => {
    const f = fakes();
    await withWorker(f.activities, async (taskQueue) => {
      const op = { operatorId: 'op', reason: '申请人撤回' };
      const h = await env.client.workflow.start(batchImport, {
        taskQueue,
        workflowId: `i-${randomUUID()}`,
        args: [{ taskId: 't9', reviewItemId: 'r9', totalRows: 10 }],
      });
      await h.executeUpdate(cancelFlowUpdate, { args: [op] });
      expect(await h.result()).toBe('REJECTED');
      expect(f.console.withdrawn).toEqual([{ reviewItemId: 'r9', reason: '申请人撤回' }]);
      expect(f.names('rejectImportTask')[0]!.args).toEqual({ taskId: 't9', reason: '运营人员取消：申请人撤回' });
      expect(f.executed.size).toBe(0);
      expect(f.console.last()).toMatchObject({ flow: 'batch-import', stageLabel: '已取消', closed: true });
      await keepHistory(env.client, h.workflowId, 'withdrawn');

      // once approved, rows run to the end: cancelling is refused
      const running = await env.client.workflow.start(batchImport, {
        taskQueue,
        workflowId: `i-${randomUUID()}`,
        args: [{ taskId: 't10', reviewItemId: 'r10', totalRows: 5, approved: true }],
      });
      await running.result();
      const w = await env.client.workflow.start(importWindow, { taskQueue, workflowId: `w-${randomUUID()}`, args: [{ windowId: 'w9', reviewItemId: 'r11' }] });
      await w.executeUpdate(cancelFlowUpdate, { args: [op] });
      expect(await w.result()).toBe('CLOSED');
      expect(f.names('rejectImportWindow')[0]!.args).toMatchObject({ windowId: 'w9', withdrawn: true });
      await expect(w.executeUpdate(reviewDecisionUpdate, { args: [decision('r11', true)] })).rejects.toThrow();
      await keepHistory(env.client, w.workflowId, 'withdrawn');
    });
  });

  it('a migration goes review → configuration → file → file review → execution; a rejection ends it', async () => {
    const f = fakes();
    await withWorker(f.activities, async (taskQueue) => {
      const h = await env.client.workflow.start(memberMigration, {
        taskQueue,
        workflowId: `m-${randomUUID()}`,
        args: [{ migrationId: 'm1', reviewItemId: 'r6' }],
      });
      expect(await failureType(h.executeUpdate(confirmConfigurationUpdate, { args: [{ operatorId: 'op' }] }))).toBe('migration.wrong_state');
      await h.executeUpdate(reviewDecisionUpdate, { args: [decision('r6', true)] });
      expect(await failureType(h.executeUpdate(submitMigrationFileUpdate, { args: [{ taskId: 't3', reviewItemId: 'r7', totalRows: 3 }] }))).toBe(
        'migration.wrong_state',
      );
      await h.executeUpdate(confirmConfigurationUpdate, { args: [{ operatorId: 'op' }] });
      await env.sleep(5 * DAY); // the application takes its time
      await h.executeUpdate(submitMigrationFileUpdate, { args: [{ taskId: 't3', reviewItemId: 'r7', totalRows: 3 }] });
      expect((await h.query(migrationStatusQuery)).stage).toBe('FILE');
      // The file review happens in the child import workflow.
      const child = env.client.workflow.getHandle('batch-import:t3');
      for (;;) {
        try {
          await child.executeUpdate(reviewDecisionUpdate, { args: [decision('r7', true)] });
          break;
        } catch (err) {
          if (!String(err).includes('not found')) throw err;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      expect(await h.result()).toBe('COMPLETED');
      expect(f.names('configureMigration')).toHaveLength(1);
      expect(f.executed.size).toBe(3);
      await keepHistory(env.client, h.workflowId, 'completed');

      const r = await env.client.workflow.start(memberMigration, {
        taskQueue,
        workflowId: `m-${randomUUID()}`,
        args: [{ migrationId: 'm2', reviewItemId: 'r8' }],
      });
      await r.executeUpdate(reviewDecisionUpdate, { args: [decision('r8', false)] });
      expect(await r.result()).toBe('REJECTED');
      expect(f.names('setMigrationStatus').find((c) => c.args.migrationId === 'm2')!.args).toMatchObject({ status: 'REJECTED', reason: '材料不全' });
      await keepHistory(env.client, r.workflowId, 'rejected');

      // 取消 while the application has not uploaded its file: nothing runs, the flow ends as cancelled.
      const c = await env.client.workflow.start(memberMigration, {
        taskQueue,
        workflowId: `m-${randomUUID()}`,
        args: [{ migrationId: 'm3', reviewItemId: 'r12' }],
      });
      await c.executeUpdate(reviewDecisionUpdate, { args: [decision('r12', true)] });
      while ((await c.query(migrationStatusQuery)).stage !== 'AWAITING_CONFIGURATION') await new Promise((r) => setTimeout(r, 20));
      await c.executeUpdate(confirmConfigurationUpdate, { args: [{ operatorId: 'op' }] });
      await c.executeUpdate(cancelFlowUpdate, { args: [{ operatorId: 'op', reason: '应用放弃迁移' }] });
      expect(await c.result()).toBe('REJECTED');
      expect(f.names('setMigrationStatus').find((x) => x.args.migrationId === 'm3' && x.args.cancelled)!.args).toMatchObject({
        status: 'REJECTED',
        reason: '应用放弃迁移',
      });
      expect(f.console.last()).toMatchObject({ flow: 'member-migration', stageLabel: '已取消', closed: true });
      await keepHistory(env.client, c.workflowId, 'cancelled-awaiting-file');
    });
  });
});
