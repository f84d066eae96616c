/**
 * A batch import task (SPEC F4, and the file stage of F5): waits for the
 * reviewer; rejected (or cancelled by an operator before the decision),
 * nothing is created; approved, the stored rows are executed in chunks (the
 * file never enters the history, only row ranges do), continuing as new before
 * the history grows with the file. A wave that keeps failing waits for 重试.
 */
import { proxyActivities, setHandler } from '@temporalio/workflow';
import { lettingHandlersFinish } from '../handlers';
import type { Activities } from '../../activities';
import { THEN_OPERATOR } from '../retry-policies';
import { cancellation } from '../cancellation';
import { continueFresh, runBudget } from '../continue-as-new';
import { consoleStages, flowState } from '../flow-state';
import { awaitReview } from '../review';
import { type BatchImportInput, type BatchImportStatus, batchImportStatusQuery } from './messages';

/** Rows per chunk activity, chunks in flight, chunks per workflow run. */
export const ROWS_PER_CHUNK = 1000;
const PARALLEL_CHUNKS = 2;
const CHUNKS_PER_RUN = 100;

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '30 seconds',
  retry: THEN_OPERATOR,
});

const CONSOLE = consoleStages<BatchImportStatus['stage']>({
  IN_REVIEW: ['待审核', 'REVIEWER'],
  EXECUTING: ['执行中', 'SYSTEM'],
  COMPLETED: ['已完成', 'NOBODY'],
  REJECTED: ['审核驳回', 'NOBODY'],
});

/** Waits for running handlers before it returns or continues as new. */
export const batchImport = lettingHandlersFinish('batchImport', batchImportFlow);

async function batchImportFlow(input: BatchImportInput): Promise<'COMPLETED' | 'REJECTED'> {
  let stage: BatchImportStatus['stage'] = input.approved ? 'EXECUTING' : 'IN_REVIEW';
  let next = input.nextRow ?? 1;
  setHandler(batchImportStatusQuery, () => ({ stage, executedRows: next - 1, totalRows: input.totalRows }));

  // 取消 only before the decision: once rows execute, the import runs to the end (every row gets a result).
  const cancel = cancellation(
    () => stage !== 'IN_REVIEW' && 'flow.not_cancellable',
    () => ({ stage }),
  );
  const consoleStage = () => CONSOLE(stage, cancel.reason() !== null && stage === 'REJECTED' ? { label: '已取消' } : {});
  const flow = flowState({ flow: 'batch-import', applicationId: input.applicationId ?? null }, consoleStage());

  if (!input.approved) {
    const decision = await awaitReview(input.reviewItemId, cancel.reason);
    if (decision === null || !decision.approve) {
      stage = 'REJECTED';
      await acts.rejectImportTask({ taskId: input.taskId, reason: decision?.reason ?? `运营人员取消：${cancel.reason()}` });
      await flow.report(consoleStage());
      return 'REJECTED';
    }
    await acts.startImportExecution({ taskId: input.taskId });
    stage = 'EXECUTING';
    void flow.report(consoleStage());
  }

  const run = runBudget(CHUNKS_PER_RUN);
  while (next <= input.totalRows) {
    if (run.spent()) await continueFresh<typeof batchImport>(flow, { ...input, approved: true, nextRow: next });
    const wave: { fromRow: number; toRow: number }[] = [];
    for (let i = 0; i < PARALLEL_CHUNKS && next <= input.totalRows; i++) {
      const toRow = Math.min(next + ROWS_PER_CHUNK - 1, input.totalRows);
      wave.push({ fromRow: next, toRow });
      next = toRow + 1;
      run.use();
    }
    // Chunks execute only rows without a result, so a retried wave is safe.
    await flow.step('executeImportChunk', () => Promise.all(wave.map((range) => acts.executeImportChunk({ taskId: input.taskId, ...range }))));
  }
  await flow.step('completeImportTask', () => acts.completeImportTask({ taskId: input.taskId }));
  stage = 'COMPLETED';
  await flow.report(consoleStage());
  return 'COMPLETED';
}
