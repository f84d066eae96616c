/**
 * 数据概览 figures: per application, Shanghai day and transaction type, the successful orders'
 * count and amount and the platform commission split from them. The first refresh computes the
 * whole chartable window (90 days); each later one only the application-days whose orders changed
 * (an order's updatedAt moves with its status) or got split rows since the last, read on the
 * database's clock with a 5-minute overlap so a transaction committing late is still counted.
 */
import type { Clock } from '../../lib/adapters/clock';
import type { PrismaClient } from '@prisma/client';
import { dayStart } from '../../domain/ledger';
import { OVERVIEW_TYPE_KEYS, refreshWindow } from '../../domain/data-overview';

/** How far back each incremental refresh looks again before the last one. */
const OVERLAP = '5 minutes';

export function createTradeStatActivities(deps: { clock: Clock; prisma: PrismaClient }) {
  const { prisma } = deps;

  /** Recomputes the given days of one application (all types), inside the caller's transaction. */
  async function recompute(
    tx: Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>,
    applicationId: string,
    days: string[],
    now: Date,
  ) {
    await tx.dailyTradeStat.deleteMany({ where: { applicationId, day: { in: days } } });
    return tx.$executeRaw`
      INSERT INTO "DailyTradeStat" ("applicationId", day, type, count, "amountFen", "commissionFen", "refreshedAt")
      SELECT o."applicationId", to_char(o."createdAt" + interval '8 hours', 'YYYY-MM-DD') AS day, o.type, count(*)::int, sum(o."amountFen")::bigint,
             coalesce(sum(c.fen), 0)::bigint, ${now}
        FROM "Order" o
        LEFT JOIN (SELECT "orderId", sum("amountFen") AS fen FROM "SplitDetail"
                    WHERE "applicationId" = ${applicationId}::uuid AND kind = 'COMMISSION' AND status = 'SUCCESS' GROUP BY "orderId") c ON c."orderId" = o.id
       WHERE o."applicationId" = ${applicationId}::uuid AND o.status = 'SUCCESS' AND o.type = ANY(${OVERVIEW_TYPE_KEYS}::text[])
         AND to_char(o."createdAt" + interval '8 hours', 'YYYY-MM-DD') = ANY(${days}::text[])
       GROUP BY 1, 2, 3`;
  }

  return {
    async refreshTradeStats(req: { now?: string } = {}): Promise<{ from: string; to: string; rows: number }> {
      const now = req.now ? new Date(req.now) : deps.clock.now();
      const { from, to } = refreshWindow(now);
      const start = dayStart(from);
      const dbNow = (await prisma.$queryRaw<{ dbNow: Date }[]>`SELECT now() AS "dbNow"`)[0]!.dbNow;
      const last = await prisma.tradeStatRefresh.findUnique({ where: { id: 1 } });
      // The application-days to recompute: all of the window the first time, then those that changed.
      const changed = last
        ? await prisma.$queryRaw<{ applicationId: string; day: string }[]>`
            SELECT DISTINCT o."applicationId", to_char(o."createdAt" + interval '8 hours', 'YYYY-MM-DD') AS day
              FROM "Order" o
             WHERE o."createdAt" >= ${start}
               AND (o."updatedAt" >= (${last.countedUpTo}::timestamptz - ${OVERLAP}::interval) AT TIME ZONE 'UTC'
                    OR EXISTS (SELECT 1 FROM "SplitDetail" s WHERE s."orderId" = o.id
                                AND s."createdAt" >= (${last.countedUpTo}::timestamptz - ${OVERLAP}::interval) AT TIME ZONE 'UTC'))`
        : null;
      const byApp = new Map<string, string[]>();
      if (changed) {
        for (const c of changed) byApp.set(c.applicationId, [...(byApp.get(c.applicationId) ?? []), c.day]);
      } else {
        const all: string[] = [];
        for (let t = start.getTime(); t <= dayStart(to).getTime(); t += 86_400_000) all.push(new Date(t + 8 * 3600_000).toISOString().slice(0, 10));
        for (const { id } of await prisma.application.findMany({ select: { id: true } })) byApp.set(id, all);
      }
      let rows = 0;
      for (const [applicationId, days] of byApp) rows += await prisma.$transaction((tx) => recompute(tx, applicationId, days, now));
      await prisma.tradeStatRefresh.upsert({ where: { id: 1 }, update: { countedUpTo: dbNow }, create: { id: 1, countedUpTo: dbNow } });
      return { from, to, rows };
    },
  };
}
