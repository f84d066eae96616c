/**
 * Every SMS the product sends goes through here: one row per idempotency key,
 * so a key is sent at most once. A row that exists but is not marked SENT is an
 * earlier attempt whose outcome is unknown (the process died after handing the
 * message to the provider, or the provider failed); before sending again we
 * ask the provider whether it already has that exact message.
 */
import type { PrismaClient } from '@prisma/client';
import { maskPhone } from '../../domain/masking';
import type { FieldCrypto } from '../adapters/field-crypto';
import { smsSent } from '../adapters/metrics';
import type { SmsProvider } from '../adapters/sms';

export interface OutgoingSms {
  key: string;
  phone: string;
  template: string;
  body: string;
}

export interface SmsSendResult {
  key: string;
  ok: boolean;
  error?: string;
}

/** How many messages of one call are in flight at once. */
const CONCURRENCY = 16;

export class SmsOutbox {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly crypto: FieldCrypto,
    private readonly provider: SmsProvider,
  ) {}

  /** Sends one message once; throws when the provider refuses it. */
  async sendOnce(sms: OutgoingSms): Promise<void> {
    const [result] = await this.sendMany([sms]);
    if (result && !result.ok) throw new Error(result.error ?? 'SMS send failed');
  }

  /**
   * Sends each message at most once per key. Results come back per message, so
   * one bad number does not hold back the others; rows are recorded in bulk.
   */
  async sendMany(batch: OutgoingSms[], onProgress?: () => void): Promise<SmsSendResult[]> {
    if (batch.length === 0) return [];
    const keys = batch.map((m) => m.key);
    const existing = await this.prisma.smsMessage.findMany({
      where: { idempotencyKey: { in: keys } },
      select: { idempotencyKey: true, status: true, createdAt: true },
    });
    const known = new Map(existing.map((e) => [e.idempotencyKey, e]));
    await this.prisma.smsMessage.createMany({
      data: batch
        .filter((m) => !known.has(m.key))
        .map((m) => ({ idempotencyKey: m.key, toEnc: this.crypto.encrypt(m.phone), toMasked: maskPhone(m.phone), template: m.template })),
      skipDuplicates: true,
    });

    const results: SmsSendResult[] = [];
    const sent: { key: string; providerId: string }[] = [];
    const failed: { key: string; error: string }[] = [];
    const todo = batch.filter((m) => {
      if (known.get(m.key)?.status === 'SENT') {
        results.push({ key: m.key, ok: true });
        return false;
      }
      return true;
    });
    for (let i = 0; i < todo.length; i += CONCURRENCY) {
      const slice = todo.slice(i, i + CONCURRENCY);
      await Promise.all(
        slice.map(async (m) => {
          try {
            const earlier = known.get(m.key);
            const providerId =
              (earlier ? await this.provider.findSent(m.phone, m.body, earlier.createdAt) : null) ?? (await this.provider.send(m.phone, m.body));
            sent.push({ key: m.key, providerId });
            smsSent.inc({ purpose: m.template });
            results.push({ key: m.key, ok: true });
          } catch (err) {
            const error = String((err as Error)?.message ?? err).slice(0, 500);
            failed.push({ key: m.key, error });
            results.push({ key: m.key, ok: false, error });
          }
        }),
      );
      // Recorded after every slice: a crash leaves at most one slice to settle with the provider.
      await this.record(sent.splice(0), failed.splice(0));
      onProgress?.();
    }
    return results;
  }

  private async record(sent: { key: string; providerId: string }[], failed: { key: string; error: string }[]) {
    if (sent.length > 0) {
      await this.prisma.$executeRaw`
        UPDATE "SmsMessage" AS m SET status = 'SENT', "providerId" = v.pid, "sentAt" = now(), error = NULL
        FROM unnest(${sent.map((s) => s.key)}::text[], ${sent.map((s) => s.providerId)}::text[]) AS v(key, pid)
        WHERE m."idempotencyKey" = v.key`;
    }
    for (const f of failed) {
      await this.prisma.smsMessage.update({ where: { idempotencyKey: f.key }, data: { status: 'FAILED', error: f.error } });
    }
  }
}
