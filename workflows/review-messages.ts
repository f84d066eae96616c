/**
 * The reviewer's decision, as every flow that waits for one receives it: an Update carrying the
 * decision for the review item the flow is waiting on (awaitReview in review.ts waits for it).
 */
import { defineUpdate } from '@temporalio/workflow';

export interface ReviewDecision {
  reviewItemId: string;
  approve: boolean;
  reason: string;
  reviewerId: string;
  reviewerName: string;
}

export const reviewDecisionUpdate = defineUpdate<{ approved: boolean }, [ReviewDecision]>('reviewDecision');
