/** The reviewer's decisions, recorded once, with the audit log; a reviewer never decides its own submission. */
import { auditOnce } from '../audit';
import type { Clock } from '../../lib/adapters/clock';
import type { PrismaClient } from '@prisma/client';
import { BusinessError } from '../../domain/errors';
import type { ReviewDecision } from '../../workflows/review-messages';

export function createReviewActivities(deps: { clock: Clock; prisma: PrismaClient }) {
  const { prisma } = deps;
  return {
    /** The flow was cancelled before a decision: the item leaves the queue as 已撤回. */
    async withdrawReview(req: { reviewItemId: string; reason: string }): Promise<void> {
      await prisma.reviewItem.updateMany({
        where: { id: req.reviewItemId, status: 'PENDING' },
        data: { status: 'WITHDRAWN', reason: req.reason, decidedAt: deps.clock.now() },
      });
    },

    async recordReviewDecision(d: ReviewDecision): Promise<void> {
      await prisma.$transaction(async (tx) => {
        const item = await tx.reviewItem.findUnique({ where: { id: d.reviewItemId } });
        if (!item) throw new BusinessError('review.not_found');
        if (item.applicantId === d.reviewerId) throw new BusinessError('review.own_submission');
        const status = d.approve ? 'APPROVED' : 'REJECTED';
        if (item.status !== 'PENDING') {
          // A retry of the decision that was recorded: nothing more to do.
          if (item.status === status && item.decidedById === d.reviewerId) return;
          throw new BusinessError('review.not_pending');
        }
        await tx.reviewItem.update({
          where: { id: item.id },
          data: { status, decidedById: d.reviewerId, decidedByName: d.reviewerName, decidedAt: deps.clock.now(), reason: d.reason },
        });
        await auditOnce(tx, {
          actorId: d.reviewerId,
          actorRole: 'REVIEWER',
          action: `review.${status.toLowerCase()}`,
          target: `review:${item.id}`,
          detail: { kind: item.kind, subjectId: item.subjectId, reason: d.reason },
        });
      });
    },
  };
}
