/**
 * Every SMS the product sends goes through here: one row per idempotency key,
 * so a key is sent at most once. A row that exists but is not marked SENT is an
 * earlier attempt whose outcome is unknown (the process died after handing the
 * message to the provider, or the provider failed); before sending again we
 * ask the provider whether it already has that exact message.
 */
import type pg from 'pg';
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
    /** Plain SQL (services.sql): every message of every flow is recorded here. */
    private readonly sql: pg.Pool,
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
    // Rows for the new keys, and what is known of the others, in one statement (the SELECT sees the
    // rows as they were before the INSERT of its own statement: exactly the earlier attempts).
    const fresh = batch.map((m) => ({ key: m.key, toEnc: this.crypto.encrypt(m.phone), toMasked: maskPhone(m.phone), template: m.template }));
    const { rows: existing } = await this.sql.query<{ key: string; status: string; createdAt: Date }>({
      name: 'sms-outbox-record',
      text: `WITH created AS (
               INSERT INTO "SmsMessage" (id, "idempotencyKey", "toEnc", "toMasked", template)
               SELECT gen_random_uuid(), v.key, v.to_enc, v.to_masked, v.template
                 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS v(key, to_enc, to_masked, template)
               ON CONFLICT ("idempotencyKey") DO NOTHING)
             SELECT m."idempotencyKey" AS key, m.status::text AS status, m."createdAt" AT TIME ZONE 'UTC' AS "createdAt"
               FROM "SmsMessage" m WHERE m."idempotencyKey" = ANY($1::text[])`,
      values: [fresh.map((f) => f.key), fresh.map((f) => f.toEnc), fresh.map((f) => f.toMasked), fresh.map((f) => f.template)],
    });
    const known = new Map(existing.map((e) => [e.key, e]));

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
      await this.sql.query({
        name: 'sms-outbox-sent',
        text: `UPDATE "SmsMessage" AS m SET status = 'SENT', "providerId" = v.pid, "sentAt" = (now() AT TIME ZONE 'UTC'), error = NULL
               FROM unnest($1::text[], $2::text[]) AS v(key, pid) WHERE m."idempotencyKey" = v.key`,
        values: [sent.map((s) => s.key), sent.map((s) => s.providerId)],
      });
    }
    if (failed.length > 0) {
      await this.sql.query({
        name: 'sms-outbox-failed',
        text: `UPDATE "SmsMessage" AS m SET status = 'FAILED', error = v.error
               FROM unnest($1::text[], $2::text[]) AS v(key, error) WHERE m."idempotencyKey" = v.key`,
        values: [failed.map((f) => f.key), failed.map((f) => f.error)],
      });
    }
  }
}
