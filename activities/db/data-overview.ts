/**
 * 数据概览 figures: per application, Shanghai day and transaction type, the
 * successful orders' count and amount and the platform commission split from
 * them. Every refresh recomputes the whole chartable window (90 days) in one
 * aggregate: an order booked late, or with an earlier date (an import), shows
 * at the next refresh, and the work is one indexed range scan every 5 minutes.
 */
import type { Clock } from '../../lib/adapters/clock';
import type { PrismaClient } from '@prisma/client';
import { dayStart } from '../../domain/ledger';
import { OVERVIEW_TYPE_KEYS, refreshWindow } from '../../domain/data-overview';

export function createTradeStatActivities(deps: { clock: Clock; prisma: PrismaClient }) {
  const { prisma } = deps;
  return {
    async refreshTradeStats(req: { now?: string } = {}): Promise<{ from: string; to: string; rows: number }> {
      const now = req.now ? new Date(req.now) : deps.clock.now();
      const { from, to } = refreshWindow(now);
      const start = dayStart(from);
      const end = new Date(dayStart(to).getTime() + 24 * 3600 * 1000);
      // Application by application: each aggregate is a range scan of the (applicationId, createdAt) indexes.
      const apps = await prisma.application.findMany({ select: { id: true } });
      let rows = 0;
      for (const { id } of apps) {
        rows += await prisma.$transaction(async (tx) => {
          await tx.dailyTradeStat.deleteMany({ where: { applicationId: id, day: { gte: from, lte: to } } });
          return tx.$executeRaw`
            INSERT INTO "DailyTradeStat" ("applicationId", day, type, count, "amountFen", "commissionFen", "refreshedAt")
            SELECT o."applicationId",
                   to_char(o."createdAt" + interval '8 hours', 'YYYY-MM-DD') AS day,
                   o.type,
                   count(*)::int,
                   sum(o."amountFen")::bigint,
                   coalesce(sum(c.fen), 0)::bigint,
                   ${now}
            FROM "Order" o
            LEFT JOIN (
              SELECT "orderId", sum("amountFen") AS fen FROM "SplitDetail"
              WHERE "applicationId" = ${id}::uuid AND kind = 'COMMISSION' AND status = 'SUCCESS' AND "createdAt" >= ${start}
              GROUP BY "orderId"
            ) c ON c."orderId" = o.id
            WHERE o."applicationId" = ${id}::uuid AND o.status = 'SUCCESS' AND o.type = ANY(${OVERVIEW_TYPE_KEYS}::text[])
              AND o."createdAt" >= ${start} AND o."createdAt" < ${end}
            GROUP BY 1, 2, 3`;
        });
      }
      return { from, to, rows };
    },
  };
}
