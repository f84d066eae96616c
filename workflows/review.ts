/**
 * The reviewer's decision, as every flow that waits for one receives it: an
 * Update carrying the decision for the review item the flow is waiting on.
 * Recording it (and refusing a reviewer's own submission) is an activity, so
 * the queue, the audit log and the flow agree.
 */
import { condition, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { businessFailure, fail } from './failures';
import { type ReviewDecision, reviewDecisionUpdate } from './review-messages';

const recorder = proxyLocalActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry: { maximumAttempts: 3, initialInterval: '200 ms' },
});

/**
 * Waits for the decision on one review item. The handler is registered with
 * the item already known, because registering it runs any decision that
 * arrived before; once decided, further decisions are refused. When
 * `withdrawal` gives a reason first (the flow was cancelled), the item is
 * withdrawn and null is returned.
 */
export async function awaitReview(reviewItemId: string, withdrawal?: () => string | null): Promise<ReviewDecision | null> {
  let decided: ReviewDecision | null = null;
  let withdrawn = false;
  setHandler(
    reviewDecisionUpdate,
    async (d) => {
      try {
        await recorder.recordReviewDecision(d);
      } catch (err) {
        throw businessFailure(err);
      }
      decided = d;
      return { approved: d.approve };
    },
    {
      validator: (d) => {
        if (d.reviewItemId !== reviewItemId || decided !== null || withdrawn) fail('review.not_pending');
      },
    },
  );
  await condition(() => decided !== null || (withdrawal?.() ?? null) !== null);
  if (decided !== null) return decided;
  // Cancelled first: no decision is accepted any more, and the queue drops the item.
  withdrawn = true;
  await recorder.withdrawReview({ reviewItemId, reason: withdrawal!()! });
  return null;
}
