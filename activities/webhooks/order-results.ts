/**
 * The result callback of an order placed through the open API with a notify URL: the order as
 * `GET /openapi/v1/orders/{商户订单号}` answers it, POSTed to that URL and signed like every answer of
 * the open API — SM2 by the platform key over TIMESTAMP "\n" NONCE "\n" SM3(body), checked with the
 * 通联公钥. Any 2xx is taken as received; anything else (or no answer in 10 s) fails the attempt and
 * the payment flow tries again later. Each attempt is counted on the order, the last error kept.
 */
import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '@prisma/client';
import type pg from 'pg';
import type { FieldCrypto } from '../../lib/adapters/field-crypto';
import { responseSigningString, sm2Sign } from '../../lib/business/openapi-signing';
import { orderResultById } from '../../lib/business/order-results';
import { platformKeyPair } from '../../lib/business/platform-keys';

const TIMEOUT_MS = 10_000;

export function createOrderResultActivities(deps: { prisma: PrismaClient; sql: pg.Pool; crypto: FieldCrypto }) {
  const { sql } = deps;
  return {
    /** Sends the order's result to its notify URL once the platform took it; nothing when it has none or took it already. */
    async sendOrderResult(req: { orderId: string }): Promise<'SENT' | 'NOTHING_TO_SEND'> {
      const found = await orderResultById(sql, req.orderId);
      if (!found?.notifyUrl || found.notified) return 'NOTHING_TO_SEND';
      const { appNo, notifyUrl, notified: _notified, ...order } = found;
      const body = Buffer.from(JSON.stringify({ type: 'order.result', appNo, order }), 'utf8');
      const timestamp = String(Date.now());
      const nonce = randomBytes(18).toString('base64url');
      const platform = await platformKeyPair(deps.prisma, deps.crypto);
      let error: string | null = null;
      try {
        const res = await fetch(notifyUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'x-yst-appno': appNo,
            'x-yst-timestamp': timestamp,
            'x-yst-nonce': nonce,
            'x-yst-signature': sm2Sign(responseSigningString(timestamp, nonce, body), platform.privateKey, platform.publicKey),
          },
          body,
          // A redirect is an answer we do not follow: the platform names the URL it means.
          redirect: 'manual',
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        await res.body?.cancel();
        if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
      } catch (err) {
        error = err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 300) : String(err);
      }
      await sql.query(
        `UPDATE "Order" SET "notifyAttempts" = "notifyAttempts" + 1, "notifyError" = $2,
                "notifiedAt" = CASE WHEN $2::text IS NULL THEN (now() AT TIME ZONE 'UTC') ELSE "notifiedAt" END WHERE id = $1::uuid`,
        [req.orderId, error],
      );
      if (error) throw new Error(`result callback of order ${order.orderNo} to ${notifyUrl}: ${error}`);
      return 'SENT';
    },
  };
}
