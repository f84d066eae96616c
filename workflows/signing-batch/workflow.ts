/**
 * Batch signing links (SPEC F3): sends the 客户委托结算授权函 link to every
 * selected member, in chunks of items so the history grows with the number of
 * chunks, not members, and continues as new before it grows large. Progress is
 * in the batch row (written by each chunk) and in the status query. When the
 * links' validity is over, the unsigned ones are marked expired.
 */
import { continueAsNew, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { type SigningBatchInput, type SigningBatchStatus, signingBatchStatusQuery } from './messages';

/** Members per chunk activity, chunks in flight at once, chunks per workflow run. */
export const CHUNK_SIZE = 250;
const PARALLEL_CHUNKS = 4;
const CHUNKS_PER_RUN = 200;

const sender = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  // Chunks heartbeat after every slice of SMS: a dead worker's chunk is retried quickly.
  heartbeatTimeout: '5 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export async function signingLinkBatch(input: SigningBatchInput): Promise<SigningBatchStatus> {
  const progress = { ...(input.counted ?? { processed: 0, sent: 0, skipped: 0 }) };
  let stage: SigningBatchStatus['stage'] = 'SENDING';
  let expiresAt: string | null = null;
  setHandler(signingBatchStatusQuery, () => ({ ...progress, total: input.total, stage, expiresAt }));

  let next = input.nextSeq ?? 0;
  let chunksThisRun = 0;
  while (next < input.total) {
    if (chunksThisRun >= CHUNKS_PER_RUN) {
      await continueAsNew<typeof signingLinkBatch>({ ...input, nextSeq: next, counted: progress });
    }
    const wave: Promise<void>[] = [];
    for (let i = 0; i < PARALLEL_CHUNKS && next < input.total; i++) {
      const fromSeq = next;
      const toSeq = Math.min(next + CHUNK_SIZE, input.total);
      next = toSeq;
      chunksThisRun++;
      wave.push(
        sender.sendSigningChunk({ batchId: input.batchId, fromSeq, toSeq }).then((r) => {
          progress.processed += r.processed;
          progress.sent += r.sent;
          progress.skipped += r.skipped;
        }),
      );
    }
    await Promise.all(wave);
  }
  await sender.completeSigningBatch({ batchId: input.batchId });

  // Links sent in this batch expire at most `validityMs` from now.
  stage = 'WAITING_FOR_SIGNATURES';
  expiresAt = new Date(Date.now() + input.validityMs).toISOString();
  await sleep(input.validityMs);
  await sender.expireBatchLinks({ batchId: input.batchId });
  stage = 'DONE';
  return { ...progress, total: input.total, stage, expiresAt };
}
