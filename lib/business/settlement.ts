/**
 * 账后结算 (post-settlement applications): what a member's 待结算户 held at the end of a business
 * day is settled to its 支付账户 the next day, by a 结算 order of its own (SETTLEMENT). Applications
 * in T1 mode get it every day from the daily settlement flow; MANUAL ones place 结算 orders
 * themselves. A member without a 支付账户 (no 客户委托结算授权函 signed yet) is left for later.
 * Once per member and day: the order's 商户订单号 is derived from both.
 */
import type pg from 'pg';
import { BusinessError } from '../../domain/errors';
import { previousDay } from './daily-close';
import { placeOrder } from './orders';

export interface SettlementRun {
  day: string;
  settled: number;
  settledFen: number;
  skipped: number;
}

export function settlementNo(day: string, memberId: string): string {
  return `T1-${day.replace(/-/g, '')}-${memberId.replace(/-/g, '')}`;
}

/** Settles, on business day `today`, what each T1 member's 待结算户 held at the end of the day before (capped by what is available now). */
export async function settleForDay(sql: pg.Pool, today: string, at: Date, only: { applicationId?: string } = {}): Promise<SettlementRun> {
  const yesterday = previousDay(today);
  const { rows } = await sql.query<{ applicationId: string; memberId: string; held: string; available: string; hasPayment: boolean }>(
    `SELECT a."applicationId", a."memberId",
            (SELECT coalesce(sum(m."amountFen"), 0) FROM "Movement" m WHERE m."accountId" = a.id AND m."businessDay" <= $1)::text AS held,
            (a."balanceFen" - a."reservedFen")::text AS available,
            EXISTS (SELECT 1 FROM "Account" p WHERE p."memberId" = a."memberId" AND p.kind = 'PAYMENT') AS "hasPayment"
       FROM "Account" a JOIN "Application" app ON app.id = a."applicationId"
      WHERE a.kind = 'PENDING_SETTLEMENT' AND a."memberId" IS NOT NULL AND app."fundMode" = 'POST_SETTLEMENT' AND app."settlementMode" = 'T1'
        AND a."balanceFen" - a."reservedFen" > 0 AND ($2::uuid IS NULL OR a."applicationId" = $2::uuid)`,
    [yesterday, only.applicationId ?? null],
  );
  const run: SettlementRun = { day: today, settled: 0, settledFen: 0, skipped: 0 };
  for (const r of rows) {
    const amountFen = Math.min(Number(r.held), Number(r.available));
    if (!r.hasPayment || amountFen <= 0) {
      run.skipped++;
      continue;
    }
    try {
      const placed = await placeOrder(
        sql,
        r.applicationId,
        { kind: 'SETTLEMENT', bizOrderNo: settlementNo(today, r.memberId), amountFen, receiverMemberId: r.memberId },
        at,
        () => '',
      );
      if (placed.created) {
        run.settled++;
        run.settledFen += amountFen;
      }
    } catch (err) {
      // Settled already today (a retried run: the amount may differ now), or the balance moved meanwhile: nothing twice.
      if (
        err instanceof BusinessError &&
        (err.id === 'order.duplicate_conflict' || err.id === 'order.insufficient_balance' || err.id === 'order.member_not_normal')
      ) {
        run.skipped++;
        continue;
      }
      throw err;
    }
  }
  return run;
}
