/**
 * Activities of a batch send of signing links (收单商户管理). A chunk is a range
 * of the batch's items in selection order; running a chunk twice sends nothing
 * twice (links are keyed by batch and member, SMS by link) and counts nothing twice
 * (an item's outcome is written once, from PENDING).
 */
import type { Clock } from '../../lib/adapters/clock';
import { Context } from '@temporalio/activity';
import type { PrismaClient } from '@prisma/client';
import type { SigningLinks } from '../../lib/business/signing-links';

export interface ChunkResult {
  processed: number;
  sent: number;
  skipped: number;
}

/** Tells Temporal the chunk is alive, so a crashed worker's chunk is retried within seconds. */
function heartbeat(): void {
  try {
    Context.current().heartbeat();
  } catch {
    // called outside an activity (scripts): nothing to tell
  }
}

export function createSigningBatchActivities(deps: { clock: Clock; prisma: PrismaClient; signingLinks: SigningLinks }) {
  const { prisma, signingLinks } = deps;
  return {
    /** Sends the links of items [fromSeq, toSeq) that have no outcome yet. */
    async sendSigningChunk(req: { batchId: string; fromSeq: number; toSeq: number }): Promise<ChunkResult> {
      const batch = await prisma.signingBatch.findUniqueOrThrow({ where: { id: req.batchId } });
      const items = await prisma.signingBatchItem.findMany({
        where: { batchId: req.batchId, seq: { gte: req.fromSeq, lt: req.toSeq }, outcome: 'PENDING' },
        orderBy: { seq: 'asc' },
      });
      if (items.length === 0) return { processed: 0, sent: 0, skipped: 0 };
      const outcomes = await signingLinks.issue({
        applicationId: batch.applicationId,
        purpose: 'SETTLEMENT_AUTHORISATION',
        validityMs: batch.validityDays * 24 * 3600 * 1000,
        batchId: batch.id,
        links: items.map((i) => ({ key: `batch:${batch.id}:${i.memberId}`, memberId: i.memberId })),
        onProgress: heartbeat,
      });
      const ids = items.map((i) => i.id);
      const outcome = outcomes.map((o) => (o.linkId ? 'SENT' : 'SKIPPED'));
      const reasons = outcomes.map((o) => o.skipReason);
      const links = outcomes.map((o) => o.linkId);
      return prisma.$transaction(async (tx) => {
        // Only items still PENDING change, so the counters below count each item once.
        const changed = await tx.$queryRaw<{ outcome: string }[]>`
          UPDATE "SigningBatchItem" AS i SET outcome = v.outcome, reason = v.reason, "linkId" = v.link::uuid
          FROM unnest(${ids}::uuid[], ${outcome}::text[], ${reasons}::text[], ${links}::text[]) AS v(id, outcome, reason, link)
          WHERE i.id = v.id AND i.outcome = 'PENDING'
          RETURNING i.outcome`;
        const sent = changed.filter((c) => c.outcome === 'SENT').length;
        const result = { processed: changed.length, sent, skipped: changed.length - sent };
        await tx.signingBatch.update({
          where: { id: batch.id },
          data: { processed: { increment: result.processed }, sent: { increment: result.sent }, skipped: { increment: result.skipped } },
        });
        return result;
      });
    },

    async completeSigningBatch(req: { batchId: string }): Promise<void> {
      await prisma.signingBatch.updateMany({
        where: { id: req.batchId, status: 'RUNNING' },
        data: { status: 'COMPLETED', finishedAt: deps.clock.now() },
      });
    },

    /** 24 hours before the links expire: one reminder to each member who has not signed. */
    async remindBatchLinks(req: { batchId: string }): Promise<number> {
      return signingLinks.remind({ batchId: req.batchId });
    },

    /** 取消 (operator): items not yet sent are skipped, live links revoked; signed ones stay signed. */
    async cancelSigningBatch(req: { batchId: string; reason: string }): Promise<void> {
      await prisma.$transaction(async (tx) => {
        const skipped = await tx.signingBatchItem.updateMany({
          where: { batchId: req.batchId, outcome: 'PENDING' },
          data: { outcome: 'SKIPPED', reason: `批次已取消：${req.reason}` },
        });
        await tx.signingBatch.update({
          where: { id: req.batchId },
          data: { status: 'CANCELLED', finishedAt: deps.clock.now(), processed: { increment: skipped.count }, skipped: { increment: skipped.count } },
        });
      });
      await signingLinks.revoke({ batchId: req.batchId }, `批次已取消：${req.reason}`);
    },

    /** How many links of the batch are still waiting for their member's signature. */
    async unsignedBatchLinks(req: { batchId: string }): Promise<number> {
      return prisma.signingLink.count({ where: { batchId: req.batchId, status: { in: ['PENDING', 'SENT', 'OPENED'] } } });
    },

    /** After the validity period: unsigned links of the batch become expired. */
    async expireBatchLinks(req: { batchId: string }): Promise<number> {
      return signingLinks.expire({ batchId: req.batchId });
    },
  };
}
