/**
 * The reviewer's decision, as every flow that waits for one receives it: an
 * Update carrying the decision for the review item the flow is waiting on.
 * Recording it (and refusing a reviewer's own submission) is an activity, so
 * the queue, the audit log and the flow agree.
 */
import { condition, defineUpdate, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { businessFailure, fail } from './failures';

export interface ReviewDecision {
  reviewItemId: string;
  approve: boolean;
  reason: string;
  reviewerId: string;
  reviewerName: string;
}

export const reviewDecisionUpdate = defineUpdate<{ approved: boolean }, [ReviewDecision]>('reviewDecision');

const recorder = proxyLocalActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry: { maximumAttempts: 3, initialInterval: '200 ms' },
});

export interface ReviewGate {
  /** Waits for the decision on this review item. */
  wait(reviewItemId: string): Promise<ReviewDecision>;
  waitingFor(): string | null;
}

export function reviewGate(): ReviewGate {
  let pending: string | null = null;
  let decided: ReviewDecision | null = null;
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
        if (pending !== d.reviewItemId || decided !== null) fail('review.not_pending');
      },
    },
  );
  return {
    async wait(reviewItemId) {
      pending = reviewItemId;
      decided = null;
      await condition(() => decided !== null);
      pending = null;
      const d = decided!;
      return d;
    },
    waitingFor: () => pending,
  };
}
