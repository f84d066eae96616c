/**
 * Sends an application's member events to its webhook, in id order, each
 * signed: `X-YST-Signature: sha256=<hex HMAC-SHA256(key, "<timestamp>.<body>")>`.
 * Every attempt is written to the delivery log; the cursor (deliveredThrough)
 * moves past an event only when the endpoint answered 2xx, and only if no
 * replay moved it meanwhile (compare-and-set), so a replay is never skipped.
 */
import { createHmac } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { PrismaClient } from '@prisma/client';
import type { FieldCrypto } from '../../lib/adapters/field-crypto';
import { webhookDeliveries } from '../../lib/adapters/metrics';

const BATCH = 50;
const TIMEOUT_MS = 10_000;

export function signWebhookBody(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

function attemptNo(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
}

function heartbeat(): void {
  try {
    Context.current().heartbeat();
  } catch {
    // outside an activity
  }
}

export function createMemberEventDeliveryActivities(deps: { prisma: PrismaClient; crypto: FieldCrypto }) {
  const { prisma, crypto } = deps;
  return {
    async deliverMemberEvents(req: { applicationId: string }): Promise<{ stopped: boolean; delivered: number; more: boolean; lastEventId: string | null }> {
      const hook = await prisma.webhook.findUnique({ where: { applicationId: req.applicationId } });
      if (!hook || !hook.enabled) return { stopped: true, delivered: 0, more: false, lastEventId: null };
      const secret = crypto.decrypt(hook.secretEnc);
      const events = await prisma.memberEvent.findMany({
        where: { applicationId: req.applicationId, id: { gt: hook.deliveredThrough } },
        orderBy: { id: 'asc' },
        take: BATCH,
      });
      let cursor = hook.deliveredThrough;
      let delivered = 0;
      for (const e of events) {
        heartbeat();
        const body = JSON.stringify({
          id: e.id.toString(),
          type: e.type,
          memberId: e.memberId,
          bizUserId: e.bizUserId,
          data: e.data,
          occurredAt: e.createdAt.toISOString(),
        });
        const timestamp = Math.floor(Date.now() / 1000);
        const started = Date.now();
        let statusCode: number | null = null;
        let error: string | null = null;
        try {
          const res = await fetch(hook.url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json; charset=utf-8',
              'x-yst-event-id': e.id.toString(),
              'x-yst-timestamp': String(timestamp),
              'x-yst-signature': signWebhookBody(secret, timestamp, body),
            },
            body,
            redirect: 'manual',
            signal: AbortSignal.timeout(TIMEOUT_MS),
          });
          statusCode = res.status;
          await res.body?.cancel();
          if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
        } catch (err) {
          error = String((err as Error)?.message ?? err).slice(0, 300);
        }
        const ok = error === null;
        webhookDeliveries.inc({ result: ok ? 'ok' : 'failed' });
        await prisma.webhookDelivery.create({
          data: {
            applicationId: req.applicationId,
            eventId: e.id,
            attempt: attemptNo(),
            url: hook.url,
            statusCode,
            error,
            durationMs: Date.now() - started,
            ok,
          },
        });
        if (!ok) throw ApplicationFailure.retryable(`事件 ${e.id} 推送失败：${error}`, 'webhook.delivery_failed');
        const moved = await prisma.webhook.updateMany({
          where: { applicationId: req.applicationId, deliveredThrough: cursor },
          data: { deliveredThrough: e.id },
        });
        // A replay moved the cursor meanwhile: start again from where it points now.
        if (moved.count === 0) return { stopped: false, delivered, more: true, lastEventId: e.id.toString() };
        cursor = e.id;
        delivered++;
      }
      return { stopped: false, delivered, more: events.length === BATCH, lastEventId: events.at(-1)?.id.toString() ?? null };
    },
  };
}
