/**
 * Exactly once per request id (open API): a request that creates or changes something carries the
 * platform's `requestId` in its signed body. The first one is handled and its answer kept (for 7
 * days, encrypted: it may hold an onboarding link); the same request again gets that answer, without
 * anything happening twice; another request with that id is refused (409), as is one that comes while
 * the first is still being handled. Refusals (business errors) are answers like any other; an
 * unexpected failure keeps nothing, so the platform can try again.
 */
import type pg from 'pg';
import { BusinessError, ERRORS } from '../../domain/errors';
import type { FieldCrypto } from '../adapters/field-crypto';

export const REQUEST_MEMORY_MS = 7 * 24 * 3600 * 1000;

export interface Answer {
  status: number;
  body: unknown;
}

/** What a request is compared by when its id comes again: keyed (HMAC), since bodies hold personal data once opened. */
export function requestDigest(crypto: FieldCrypto, method: string, path: string, body: unknown): string {
  return crypto.digest('openapi-request', JSON.stringify([method.toUpperCase(), path, body]));
}

export async function answerOnce(
  deps: { sql: pg.Pool; crypto: FieldCrypto },
  key: { appNo: string; requestId: string; requestHash: string },
  handle: () => Promise<Answer>,
): Promise<Answer & { replayed: boolean }> {
  const { sql, crypto } = deps;
  const claimed = await sql.query(`INSERT INTO "OpenApiRequest" ("appNo", "requestId", "requestHash") VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1`, [
    key.appNo,
    key.requestId,
    key.requestHash,
  ]);
  if (claimed.rowCount === 0) {
    const { rows } = await sql.query<{ requestHash: string; status: number | null; answerEnc: string | null }>(
      `SELECT "requestHash", status, "answerEnc" FROM "OpenApiRequest" WHERE "appNo" = $1 AND "requestId" = $2`,
      [key.appNo, key.requestId],
    );
    const first = rows[0];
    if (!first) return answerOnce(deps, key, handle); // forgotten just now: this one is the first
    if (first.requestHash !== key.requestHash) throw new BusinessError('openapi.request_id_conflict');
    if (first.status === null || first.answerEnc === null) throw new BusinessError('openapi.request_in_progress');
    return { status: first.status, body: JSON.parse(crypto.decrypt(first.answerEnc)), replayed: true };
  }
  let answer: Answer;
  try {
    answer = await handle();
  } catch (err) {
    // The service unavailable (Temporal refused a start) is no answer to keep: the platform tries again.
    if (!(err instanceof BusinessError) || err.id === 'service.unavailable') {
      await sql.query(`DELETE FROM "OpenApiRequest" WHERE "appNo" = $1 AND "requestId" = $2`, [key.appNo, key.requestId]);
      throw err;
    }
    answer = {
      status: ERRORS[err.id].status,
      body: { error: { id: err.id, message: err.message, ...(err.details ? { details: err.details } : {}) } },
    };
  }
  await sql.query(`UPDATE "OpenApiRequest" SET status = $3, "answerEnc" = $4 WHERE "appNo" = $1 AND "requestId" = $2`, [
    key.appNo,
    key.requestId,
    answer.status,
    crypto.encrypt(JSON.stringify(answer.body)),
  ]);
  return { ...answer, replayed: false };
}

/** Forgets requests older than REQUEST_MEMORY_MS. */
export async function forgetOldRequests(sql: pg.Pool, now: Date): Promise<void> {
  await sql.query(`DELETE FROM "OpenApiRequest" WHERE "createdAt" < ($1::timestamptz AT TIME ZONE 'UTC')`, [
    new Date(now.getTime() - REQUEST_MEMORY_MS).toISOString(),
  ]);
}
