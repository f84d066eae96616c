/**
 * 自动提现 (提现设置, seed 000 §2.3): a member the platform set up withdraws, every day at its time
 * (Shanghai), what its 支付账户 has available to its verified card — one 提现 order per member and
 * day (商户订单号 `AW-<day>-<member>`), through the payment channel like any other.
 */
import type pg from 'pg';
import { BusinessError } from '../../domain/errors';
import { businessDay } from '../../domain/ledger';
import { paymentOrderWorkflowId } from '../../workflows/ids';
import { placeOrder } from './orders';

/** "HH:mm" ⇄ minutes after midnight. */
export function minuteOfDay(time: string): number {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return h * 60 + m;
}
export function timeOfDay(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

export function autoWithdrawalNo(day: string, memberId: string): string {
  return `AW-${day.replace(/-/g, '')}-${memberId.replace(/-/g, '')}`;
}

/** A withdrawal placed today whose flow is to be started (starting one already started is harmless). */
export interface DueWithdrawal {
  orderId: string;
  orderNo: string;
  applicationId: string;
  workflowId: string;
}

/** Places today's withdrawals of every member whose time has come, and answers the flows to start. */
export async function placeDueWithdrawals(sql: pg.Pool, now: Date): Promise<DueWithdrawal[]> {
  const today = businessDay(now);
  const shanghai = new Date(now.getTime() + 8 * 3600_000);
  const minute = shanghai.getUTCHours() * 60 + shanghai.getUTCMinutes();
  const { rows } = await sql.query<{ memberId: string; applicationId: string; cardId: string; available: string | null }>(
    `SELECT w."memberId", w."applicationId", w."cardId", (a."balanceFen" - a."reservedFen")::text AS available
       FROM "AutoWithdrawal" w LEFT JOIN "Account" a ON a."memberId" = w."memberId" AND a.kind = 'PAYMENT'
      WHERE w."minuteOfDay" <= $1`,
    [minute],
  );
  const due: DueWithdrawal[] = [];
  for (const r of rows) {
    const bizOrderNo = autoWithdrawalNo(today, r.memberId);
    const { rows: placed } = await sql.query<{ id: string; orderNo: string; workflowId: string; status: string }>(
      `SELECT id, "orderNo", "workflowId", status FROM "Order" WHERE "applicationId" = $1::uuid AND "bizOrderNo" = $2`,
      [r.applicationId, bizOrderNo],
    );
    if (placed[0]) {
      // Placed by an earlier run: its flow may not have been started (the run stopped in between).
      if (placed[0].status === 'CREATED')
        due.push({ orderId: placed[0].id, orderNo: placed[0].orderNo, applicationId: r.applicationId, workflowId: placed[0].workflowId });
      continue;
    }
    const amountFen = Number(r.available ?? 0);
    if (amountFen <= 0) continue;
    try {
      const p = await placeOrder(
        sql,
        r.applicationId,
        { kind: 'WITHDRAWAL', bizOrderNo, amountFen, receiverMemberId: r.memberId, cardId: r.cardId },
        now,
        paymentOrderWorkflowId,
      );
      due.push({ orderId: p.order.id, orderNo: p.order.orderNo, applicationId: r.applicationId, workflowId: p.order.workflowId! });
    } catch (err) {
      // The balance moved, the card went or the member is frozen: no withdrawal today, and the others go on.
      if (err instanceof BusinessError) continue;
      throw err;
    }
  }
  return due;
}
