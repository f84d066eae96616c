/**
 * 数据概览 figures: per application, Shanghai day and transaction type, the
 * successful orders' count and amount and the platform commission split from
 * them. A refresh recomputes today and yesterday; the first refresh of a day
 * recomputes the whole 90-day window (so a late correction is caught daily).
 */
import type { PrismaClient } from '@prisma/client';
import { dayStart } from '../../domain/ledger';
import { OVERVIEW_TYPE_KEYS, refreshWindow } from '../../domain/trade-stats';

export function createTradeStatActivities(deps: { prisma: PrismaClient }) {
  const { prisma } = deps;
  return {
    async refreshTradeStats(req: { now?: string } = {}): Promise<{ from: string; to: string; rows: number }> {
      const now = req.now ? new Date(req.now) : new Date();
      const refreshedToday = await prisma.dailyTradeStat.findFirst({ where: { refreshedAt: { gte: dayStart(refreshWindow(now, false).to) } }, select: { day: true } });
      const { from, to } = refreshWindow(now, !refreshedToday);
      const start = dayStart(from);
      const end = new Date(dayStart(to).getTime() + 24 * 3600 * 1000);
      const rows = await prisma.$transaction(async (tx) => {
        await tx.dailyTradeStat.deleteMany({ where: { day: { gte: from, lte: to } } });
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
            WHERE kind = 'COMMISSION' AND status = 'SUCCESS' AND "createdAt" >= ${start}
            GROUP BY "orderId"
          ) c ON c."orderId" = o.id
          WHERE o.status = 'SUCCESS' AND o.type = ANY(${OVERVIEW_TYPE_KEYS}::text[])
            AND o."createdAt" >= ${start} AND o."createdAt" < ${end}
          GROUP BY 1, 2, 3`;
      });
      return { from, to, rows };
    },
  };
}
