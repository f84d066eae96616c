/**
 * Batch signing links (SPEC F3): sends the 客户委托结算授权函 link to every
 * selected member, in chunks of items so the history grows with the number of
 * chunks, not members, and continues as new before it grows large. Progress is
 * in the batch row (written by each chunk) and in the status query. A day
 * before the links expire, members who have not signed get one reminder; when
 * the validity is over, the unsigned links are marked expired. An operator may
 * cancel (unsent items skipped, live links revoked) or retry a failed wave.
 */
import { condition, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import { reminderAt } from '../../domain/validity';
import { BATCH_ENDS_WHEN_ALL_SIGNED_PATCH, REMINDER_RULE_PATCH } from '../patches';
import { lettingHandlersFinish } from '../handlers';
import type { Activities } from '../../activities';
import { THEN_OPERATOR } from '../retry-policies';
import { cancellation } from '../cancellation';
import { continueFresh, runBudget } from '../continue-as-new';
import { consoleStages, flowState } from '../flow-state';
import { type SigningBatchInput, type SigningBatchStatus, signingBatchStatusQuery } from './messages';

/** Members per chunk activity, chunks in flight at once, chunks per workflow run. */
export const CHUNK_SIZE = 250;
const PARALLEL_CHUNKS = 4;
const CHUNKS_PER_RUN = 200;
const DAY = 24 * 3600 * 1000;
/** While members sign, how often the batch counts its unsigned links. */
const SIGNATURE_CHECK_MS = 3600 * 1000;

const sender = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  // Chunks heartbeat after every slice of SMS: a dead worker's chunk is retried quickly.
  heartbeatTimeout: '5 seconds',
  retry: THEN_OPERATOR,
});

const CONSOLE = consoleStages<SigningBatchStatus['stage']>({
  SENDING: ['发送签约链接', 'SYSTEM'],
  WAITING_FOR_SIGNATURES: ['等待会员签约', 'MEMBER'],
  DONE: ['已结束', 'NOBODY'],
  CANCELLED: ['已取消', 'NOBODY'],
});

/** Waits for running handlers before it returns or continues as new. */
export const signingLinkBatch = lettingHandlersFinish('signingLinkBatch', signingLinkBatchFlow);

async function signingLinkBatchFlow(input: SigningBatchInput): Promise<SigningBatchStatus> {
  const progress = { ...(input.counted ?? { processed: 0, sent: 0, skipped: 0 }) };
  // Handlers change these while the loop awaits (hence the explicit types).
  let stage = 'SENDING' as SigningBatchStatus['stage'];
  let expiresAt: string | null = null;
  let allSigned = false;
  const status = (): SigningBatchStatus => ({ ...progress, total: input.total, stage, expiresAt });
  setHandler(signingBatchStatusQuery, status);

  const consoleStage = () => CONSOLE(stage, { deadline: expiresAt, ...(allSigned ? { label: '全部会员已签约' } : {}) });
  const flow = flowState({ flow: 'signing-batch', applicationId: input.applicationId ?? null }, consoleStage());
  const enter = (next: SigningBatchStatus['stage']) => {
    stage = next;
    void flow.report(consoleStage());
  };

  const cancel = cancellation(
    () => (stage === 'DONE' || stage === 'CANCELLED') && 'flow.finished',
    () => ({ stage }),
  );

  let next = input.nextSeq ?? 0;
  const run = runBudget(CHUNKS_PER_RUN);
  while (stage === 'SENDING' && next < input.total && cancel.reason() === null) {
    if (run.spent()) await continueFresh<typeof signingLinkBatch>(flow, { ...input, nextSeq: next, counted: progress });
    const wave: { fromSeq: number; toSeq: number }[] = [];
    for (let i = 0; i < PARALLEL_CHUNKS && next < input.total; i++) {
      wave.push({ fromSeq: next, toSeq: Math.min(next + CHUNK_SIZE, input.total) });
      next = Math.min(next + CHUNK_SIZE, input.total);
      run.use();
    }
    // A chunk run twice sends and counts nothing twice, so a retried wave re-runs all of it.
    await flow.step(
      'sendSigningChunk',
      () =>
        Promise.all(
          wave.map((range) =>
            sender.sendSigningChunk({ batchId: input.batchId, ...range }).then((r) => {
              progress.processed += r.processed;
              progress.sent += r.sent;
              progress.skipped += r.skipped;
            }),
          ),
        ),
      { givesUpWhen: () => cancel.reason() !== null },
    );
  }

  if (stage === 'SENDING' && cancel.reason() === null) {
    await flow.step('completeSigningBatch', () => sender.completeSigningBatch({ batchId: input.batchId }));
    // Links sent in this batch expire at most `validityMs` from now.
    expiresAt = new Date(Date.now() + input.validityMs).toISOString();
    enter('WAITING_FOR_SIGNATURES');
  }

  /**
   * 等待会员签约: the reminder (domain/validity.ts), then expiry at the deadline; every hour in between
   * the batch counts its unsigned links and ends as soon as every member signed.
   */
  const waitForSignatures = async (deadline: number) => {
    let remindAt = reminderAt(deadline - input.validityMs, deadline);
    for (;;) {
      const wakeAt = Math.min(remindAt ?? deadline, deadline, Date.now() + SIGNATURE_CHECK_MS);
      await condition(() => cancel.reason() !== null, Math.max(1, wakeAt - Date.now()));
      if (cancel.reason() !== null) return;
      if (remindAt !== null && Date.now() >= remindAt) {
        await flow.step('remindBatchLinks', () => sender.remindBatchLinks({ batchId: input.batchId }));
        remindAt = null;
      } else if (Date.now() >= deadline) {
        await flow.step('expireBatchLinks', () => sender.expireBatchLinks({ batchId: input.batchId }));
        enter('DONE');
        return;
      } else if ((await flow.step('countUnsignedBatchLinks', () => sender.unsignedBatchLinks({ batchId: input.batchId }))) === 0) {
        allSigned = true;
        enter('DONE');
        return;
      }
    }
  };

  if (stage === 'WAITING_FOR_SIGNATURES' && cancel.reason() === null) {
    const deadline = Date.parse(expiresAt!);
    const reminderRule = patched(REMINDER_RULE_PATCH);
    if (reminderRule && patched(BATCH_ENDS_WHEN_ALL_SIGNED_PATCH)) {
      await waitForSignatures(deadline);
    } else {
      if (reminderRule) {
        // The reminder rule (domain/validity.ts): none for short links, never in the same breath as the link.
        const remindAt = reminderAt(deadline - input.validityMs, deadline);
        if (remindAt !== null) {
          if (remindAt > Date.now()) await condition(() => cancel.reason() !== null, remindAt - Date.now());
          if (cancel.reason() === null) await flow.step('remindBatchLinks', () => sender.remindBatchLinks({ batchId: input.batchId }));
        }
      } else {
        if (deadline - DAY > Date.now()) {
          await condition(() => cancel.reason() !== null, deadline - DAY - Date.now());
        }
        if (cancel.reason() === null) {
          await flow.step('remindBatchLinks', () => sender.remindBatchLinks({ batchId: input.batchId }));
        }
      }
      if (cancel.reason() === null) await condition(() => cancel.reason() !== null, Math.max(1, deadline - Date.now()));
      if (cancel.reason() === null) {
        await flow.step('expireBatchLinks', () => sender.expireBatchLinks({ batchId: input.batchId }));
        enter('DONE');
      }
    }
  }

  if (cancel.reason() !== null) {
    await flow.step('cancelSigningBatch', () => sender.cancelSigningBatch({ batchId: input.batchId, reason: cancel.reason()! }));
    progress.processed = input.total;
    enter('CANCELLED');
  }
  await flow.flushed();
  return status();
}
