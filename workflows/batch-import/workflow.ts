/**
 * A batch import task (SPEC F4, and the file stage of F5): waits for the
 * reviewer; rejected, nothing is created; approved, the stored rows are
 * executed in chunks (the file never enters the history, only row ranges do),
 * continuing as new before the history grows with the file.
 */
import { continueAsNew, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { awaitReview } from '../review';
import { type BatchImportInput, type BatchImportStatus, batchImportStatusQuery } from './messages';

/** Rows per chunk activity, chunks in flight, chunks per workflow run. */
export const ROWS_PER_CHUNK = 1000;
const PARALLEL_CHUNKS = 2;
const CHUNKS_PER_RUN = 100;

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export async function batchImport(input: BatchImportInput): Promise<'COMPLETED' | 'REJECTED'> {
  let stage: BatchImportStatus['stage'] = input.approved ? 'EXECUTING' : 'IN_REVIEW';
  let next = input.nextRow ?? 1;
  setHandler(batchImportStatusQuery, () => ({ stage, executedRows: next - 1, totalRows: input.totalRows }));

  if (!input.approved) {
    const decision = await awaitReview(input.reviewItemId);
    if (!decision.approve) {
      stage = 'REJECTED';
      await acts.rejectImportTask({ taskId: input.taskId, reason: decision.reason });
      return 'REJECTED';
    }
    await acts.startImportExecution({ taskId: input.taskId });
    stage = 'EXECUTING';
  }

  let chunks = 0;
  while (next <= input.totalRows) {
    if (chunks >= CHUNKS_PER_RUN) {
      await continueAsNew<typeof batchImport>({ ...input, approved: true, nextRow: next });
    }
    const wave: Promise<unknown>[] = [];
    for (let i = 0; i < PARALLEL_CHUNKS && next <= input.totalRows; i++) {
      const fromRow = next;
      const toRow = Math.min(next + ROWS_PER_CHUNK - 1, input.totalRows);
      next = toRow + 1;
      chunks++;
      wave.push(acts.executeImportChunk({ taskId: input.taskId, fromRow, toRow }));
    }
    await Promise.all(wave);
  }
  await acts.completeImportTask({ taskId: input.taskId });
  stage = 'COMPLETED';
  return 'COMPLETED';
}
