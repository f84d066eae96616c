/**
 * An order as the open API tells a platform about it: the answer of `GET /openapi/v1/orders/{商户订单号}`
 * and the body of the result callback to its notify URL are this one shape. Amounts are yuan with
 * two decimals, as strings (the request's form), never floating point.
 */
import type pg from 'pg';
import { yuan } from '../../domain/ledger';
import type { OrderKind, OrderStatus } from '../../domain/orders';
import { isoText } from '../adapters/db';

export interface OrderResult {
  orderNo: string;
  bizOrderNo: string;
  kind: OrderKind;
  status: OrderStatus;
  amount: string;
  fee: string;
  receiver: string;
  payer: string | null;
  paymentMethod: string | null;
  originalBizOrderNo: string | null;
  failureReason: string | null;
  channelSerial: string | null;
  backendSerial: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** The row as read: the order's own column names for what the answer renames. */
type Row = Omit<OrderResult, 'kind' | 'amount' | 'fee'> & { type: OrderKind; amountFen: string; feeFen: string };

const COLUMNS = `o."orderNo", o."bizOrderNo", o.type, o.status, o."amountFen"::text AS "amountFen", o."feeFen"::text AS "feeFen",
       r."bizUserId" AS receiver, p."bizUserId" AS payer, o."paymentMethod", orig."bizOrderNo" AS "originalBizOrderNo", o."failureReason",
       o."channelSerial", o."backendSerial", ${isoText('o."createdAt"')} AS "createdAt", ${isoText('o."finishedAt"')} AS "finishedAt"`;
const FROM = `FROM "Order" o JOIN "Member" r ON r.id = o."receiverMemberId" LEFT JOIN "Member" p ON p.id = o."payerMemberId"
  LEFT JOIN "Order" orig ON orig.id = o."relatedOrderId"`;

function resultOf(r: Row): OrderResult {
  const { amountFen, feeFen, type, ...rest } = r;
  return { ...rest, kind: type, amount: yuan(BigInt(amountFen)), fee: yuan(BigInt(feeFen)) };
}

/** The application's order with this 商户订单号, or null (another application's is not found either). */
export async function orderResultByBizOrderNo(sql: pg.Pool, applicationId: string, bizOrderNo: string): Promise<OrderResult | null> {
  const { rows } = await sql.query<Row>(`SELECT ${COLUMNS} ${FROM} WHERE o."applicationId"= $1::uuid AND o."bizOrderNo" = $2`, [applicationId, bizOrderNo]);
  return rows[0] ? resultOf(rows[0]) : null;
}

export async function orderResultById(
  sql: pg.Pool,
  orderId: string,
): Promise<(OrderResult & { appNo: string; notifyUrl: string | null; notified: boolean }) | null> {
  const { rows } = await sql.query<Row & { appNo: string; notifyUrl: string | null; notified: boolean }>(
    `SELECT ${COLUMNS}, a."appNo", o."notifyUrl", o."notifiedAt" IS NOT NULL AS notified
       ${FROM} JOIN "Application" a ON a.id = o."applicationId" WHERE o.id = $1::uuid`,
    [orderId],
  );
  const r = rows[0];
  if (!r) return null;
  const { appNo, notifyUrl, notified, ...order } = r;
  return { ...resultOf(order), appNo, notifyUrl, notified };
}
