import { type Clock, systemClock } from '../adapters/clock';
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { SmsPurpose } from '@prisma/client';
import type pg from 'pg';
import { type Sql, inTransaction, isoText, utc } from '../adapters/db';
import { BusinessError } from '../../domain/errors';
import { maskPhone } from '../../domain/masking';
import {
  SMS_CODES_PER_SCOPE_PER_DAY,
  SMS_CODE_MAX_WRONG_TRIES,
  SMS_CODE_RESEND_COOLDOWN_MS,
  SMS_CODE_VALIDITY_MS,
  SMS_SCOPE_LOCK_MS,
  SMS_WRONG_CODES_PER_SCOPE_PER_DAY,
} from '../../domain/validity';
import type { FieldCrypto } from '../adapters/field-crypto';
import type { SmsOutbox } from './sms-outbox';

const TEMPLATES: Record<SmsPurpose, (code: string) => string> = {
  PHONE_BINDING: (c) => `【云商通】您正在绑定手机号，验证码${c}，10分钟内有效，请勿泄露给他人。`,
  AGREEMENT_SIGNING: (c) => `【云商通】您正在签署协议，验证码${c}，10分钟内有效，请勿泄露给他人。`,
  DEVICE_VERIFICATION: (c) => `【云商通】您正在新设备上继续开户，验证码${c}，10分钟内有效，请勿泄露给他人。`,
  PASSWORD_RESET: (c) => `【云商通】您正在重置登录密码，验证码${c}，10分钟内有效，请勿泄露给他人。`,
  MEMBER_PORTAL_LOGIN: (c) => `【云商通】您正在登录会员门户，验证码${c}，10分钟内有效，请勿泄露给他人。`,
};

/** The refusals a background sender expects (a repeated request, a locked scope): not worth a log line. */
export function isExpectedSmsRefusal(err: unknown): boolean {
  return err instanceof BusinessError && (err.id === 'sms.cooldown' || err.id === 'sms.scope_locked');
}

export interface IssuedCode {
  challengeId: string;
  sentTo: string;
  sentAt: string;
}

const DAY_MS = 24 * 3600 * 1000;

const LOCK_NOTICE = '【云商通】您的验证码获取或输入次数过多，已暂停24小时。如非本人操作，请注意账户安全，勿向他人透露验证码。';

type LockReason = 'CODES_SENT' | 'WRONG_CODES';

/**
 * SMS verification codes, the one piece every flow uses for "we sent you a code". One rule set for
 * every purpose (phone binding, device, signing, portal login, password reset):
 * - 6 digits, valid 10 minutes, only a hash stored, at most 60 s between sends of a scope and purpose;
 * - single use: the first consumer takes the code, and only that consumer (its idempotency key, e.g.
 *   an activity retried after the worker died) re-verifies it; anyone else is refused;
 * - at most 5 comparisons per code under any concurrency: each comparison claims an attempt first;
 * - per scope and 24 hours at most 10 codes sent and 15 wrong codes; reaching a cap locks the scope
 *   for 24 hours (nothing sent, nothing accepted) and tells the phone's owner once.
 * `issue` is idempotent on its key: the code is derived from the key with a server secret, so a
 * retried call re-sends nothing already sent and, if the send itself was lost, re-sends the same code.
 */
export class SmsChallenges {
  constructor(
    /** Plain SQL (services.sql): every code sent and checked passes here, on the members' hot path. */
    private readonly sql: pg.Pool,
    private readonly crypto: FieldCrypto,
    private readonly outbox: SmsOutbox,
    private readonly secret: string,
    private readonly clock: Clock = systemClock(),
  ) {}

  async issue(req: { key: string; scope: string; purpose: SmsPurpose; phone: string; now?: Date }): Promise<IssuedCode> {
    const now = req.now ?? this.clock.now();
    const decided = await inTransaction(this.sql, async (db) => {
      // One issuer per scope at a time: the cooldown and the cap are read and written together.
      // (The lock is its own statement: the reads after it must see what the previous issuer committed.)
      await db.query({ name: 'sms-scope-lock', text: 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', values: [`sms-scope:${req.scope}`] });
      const {
        rows: [state],
      } = await db.query<{ existing: IssuedRow | null; lockedUntil: Date | null; lastSentAt: Date | null; sentToday: number }>({
        name: 'sms-issue-state',
        text: `SELECT (SELECT json_build_object('id', c.id, 'phoneEnc', c."phoneEnc", 'phoneMasked', c."phoneMasked", 'purpose', c.purpose,
                                         'sentAt', ${isoText('c."sentAt"')})
                         FROM "SmsChallenge" c WHERE c.key = $1) AS existing,
                      (SELECT l."lockedUntil" AT TIME ZONE 'UTC' FROM "SmsScopeLock" l WHERE l.scope = $2) AS "lockedUntil",
                      (SELECT max(c."sentAt") AT TIME ZONE 'UTC' FROM "SmsChallenge" c WHERE c.scope = $2 AND c.purpose = $3::"SmsPurpose") AS "lastSentAt",
                      (SELECT count(*)::int FROM "SmsChallenge" c WHERE c.scope = $2 AND c."sentAt" > ($4::timestamptz AT TIME ZONE 'UTC')) AS "sentToday"`,
        values: [req.key, req.scope, req.purpose, utc(new Date(now.getTime() - DAY_MS))],
      });
      if (state!.existing) return { challenge: state!.existing, lockedUntil: null };
      if (state!.lockedUntil && state!.lockedUntil.getTime() > now.getTime()) throw new BusinessError('sms.scope_locked');
      const wait = state!.lastSentAt ? state!.lastSentAt.getTime() + SMS_CODE_RESEND_COOLDOWN_MS - now.getTime() : 0;
      if (wait > 0) {
        const retryAfterSeconds = Math.ceil(wait / 1000);
        throw new BusinessError('sms.cooldown', `验证码发送过于频繁，请${retryAfterSeconds}秒后再试`, { retryAfterSeconds });
      }
      if (state!.sentToday >= SMS_CODES_PER_SCOPE_PER_DAY) return { challenge: null, lockedUntil: await lockScope(db, req.scope, now, 'CODES_SENT') };
      const challenge: IssuedRow = {
        id: randomUUID(),
        phoneEnc: this.crypto.encrypt(req.phone),
        phoneMasked: maskPhone(req.phone),
        purpose: req.purpose,
        sentAt: now.toISOString(),
      };
      await db.query({
        name: 'sms-issue-insert',
        text: `INSERT INTO "SmsChallenge" (id, key, scope, purpose, "phoneEnc", "phoneMasked", "codeHash", "sentAt", "expiresAt")
               VALUES ($1::uuid, $2, $3, $4::"SmsPurpose", $5, $6, $7, ($8::timestamptz AT TIME ZONE 'UTC'), ($9::timestamptz AT TIME ZONE 'UTC'))`,
        values: [
          challenge.id,
          req.key,
          req.scope,
          req.purpose,
          challenge.phoneEnc,
          challenge.phoneMasked,
          this.hash(req.key, this.codeFor(req.key)),
          utc(now),
          utc(new Date(now.getTime() + SMS_CODE_VALIDITY_MS)),
        ],
      });
      return { challenge, lockedUntil: null };
    });
    const { challenge, lockedUntil } = decided;
    if (!challenge) {
      await this.tellOwner(req.scope, lockedUntil, req.phone);
      throw new BusinessError('sms.scope_locked');
    }
    await this.outbox.sendOnce({
      key: req.key,
      phone: this.crypto.decrypt(challenge.phoneEnc),
      template: challenge.purpose,
      body: TEMPLATES[challenge.purpose](this.codeFor(req.key)),
    });
    return { challengeId: challenge.id, sentTo: challenge.phoneMasked, sentAt: new Date(challenge.sentAt).toISOString() };
  }

  /**
   * Checks a code against the newest code of that scope and purpose and consumes it for `consumer`.
   * `consumer` is the caller's idempotency key: a retried step passes the same one and succeeds again.
   */
  async verify(req: {
    scope: string;
    purpose: SmsPurpose;
    code: string;
    consumer: string;
    now?: Date;
    /** Rules the caller checks once the code is right, before it is spent: a refusal leaves the code usable. */
    beforeConsume?: () => Promise<void>;
  }): Promise<{ challengeId: string }> {
    const now = req.now ?? this.clock.now();
    // The newest code of the scope and purpose, and the scope's lock, in one statement.
    const {
      rows: [found],
    } = await this.sql.query<LatestRow & { lockedUntil: Date | null; hasCode: boolean }>({
      name: 'sms-verify-latest',
      text: `SELECT c.id, c.key, c."codeHash", c."phoneEnc", c."consumedAt" IS NOT NULL AS consumed, c."consumedBy",
                    c."expiresAt" AT TIME ZONE 'UTC' AS "expiresAt", c.id IS NOT NULL AS "hasCode",
                    (SELECT l."lockedUntil" AT TIME ZONE 'UTC' FROM "SmsScopeLock" l WHERE l.scope = $1) AS "lockedUntil"
               FROM (SELECT 1) one
               LEFT JOIN LATERAL (SELECT * FROM "SmsChallenge" x WHERE x.scope = $1 AND x.purpose = $2::"SmsPurpose" ORDER BY x."sentAt" DESC LIMIT 1) c ON true`,
      values: [req.scope, req.purpose],
    });
    const latest = found!.hasCode ? found! : null;
    const matches = !!latest && safeEqual(this.hash(latest.key, req.code), latest.codeHash);
    // A retried step re-verifies what it consumed even if the scope was locked since.
    if (latest?.consumed) return this.alreadyConsumed(latest, matches, req.consumer);
    if (found!.lockedUntil && found!.lockedUntil.getTime() > now.getTime()) throw new BusinessError('sms.scope_locked');
    if (!latest) throw new BusinessError('sms.code_missing');
    if (now.getTime() >= latest.expiresAt.getTime()) throw new BusinessError('sms.code_expired');

    // Claim the comparison before making it, so concurrent guesses never exceed the limit.
    const {
      rows: [claim],
    } = await this.sql.query<{ attempts: number }>({
      name: 'sms-verify-claim',
      text: `UPDATE "SmsChallenge" SET attempts = attempts + 1 WHERE id = $1::uuid AND "consumedAt" IS NULL AND attempts < $2 RETURNING attempts`,
      values: [latest.id, SMS_CODE_MAX_WRONG_TRIES],
    });
    if (!claim) {
      const fresh = await this.consumption(latest.id);
      if (fresh.consumed) return this.alreadyConsumed(fresh, matches, req.consumer);
      throw new BusinessError('sms.too_many_attempts');
    }
    if (!matches) {
      await this.countWrongCode(req.scope, now, latest);
      const remainingTries = SMS_CODE_MAX_WRONG_TRIES - claim.attempts;
      if (remainingTries === 0) throw new BusinessError('sms.too_many_attempts');
      throw new BusinessError('sms.code_wrong', `短信验证码错误，还可尝试${remainingTries}次`, { remainingTries });
    }
    await req.beforeConsume?.();
    const consumed = await this.sql.query({
      name: 'sms-verify-consume',
      text: `UPDATE "SmsChallenge" SET "consumedAt" = ($2::timestamptz AT TIME ZONE 'UTC'), "consumedBy" = $3 WHERE id = $1::uuid AND "consumedAt" IS NULL`,
      values: [latest.id, utc(now), req.consumer],
    });
    if (consumed.rowCount === 0) {
      // Another submission of the same code won the race.
      return this.alreadyConsumed(await this.consumption(latest.id), matches, req.consumer);
    }
    return { challengeId: latest.id };
  }

  private async consumption(id: string): Promise<{ id: string; consumed: boolean; consumedBy: string | null }> {
    const { rows } = await this.sql.query<{ id: string; consumed: boolean; consumedBy: string | null }>({
      name: 'sms-consumption',
      text: `SELECT id, "consumedAt" IS NOT NULL AS consumed, "consumedBy" FROM "SmsChallenge" WHERE id = $1::uuid`,
      values: [id],
    });
    return rows[0]!;
  }

  private alreadyConsumed(challenge: { id: string; consumedBy: string | null }, matches: boolean, consumer: string): { challengeId: string } {
    if (matches && challenge.consumedBy === consumer) return { challengeId: challenge.id };
    throw new BusinessError('sms.code_used');
  }

  /** A wrong code counts against the scope's daily cap; reaching it locks the scope. */
  private async countWrongCode(scope: string, now: Date, latest: LatestRow): Promise<void> {
    const since = new Date(now.getTime() - DAY_MS);
    // Comparisons of the day minus the one correct comparison of each consumed code.
    const {
      rows: [row],
    } = await this.sql.query<{ wrong: number }>({
      name: 'sms-wrong-codes',
      text: `SELECT (COALESCE(SUM(attempts), 0) - COUNT(*) FILTER (WHERE "consumedAt" IS NOT NULL))::int AS wrong
               FROM "SmsChallenge" WHERE scope = $1 AND "sentAt" > ($2::timestamptz AT TIME ZONE 'UTC')`,
      values: [scope, utc(since)],
    });
    if ((row?.wrong ?? 0) < SMS_WRONG_CODES_PER_SCOPE_PER_DAY) return;
    const lockedUntil = await lockScope(this.sql, scope, now, 'WRONG_CODES');
    await this.tellOwner(scope, lockedUntil, this.crypto.decrypt(latest.phoneEnc));
  }

  /** One SMS to the phone's owner per lock. */
  private async tellOwner(scope: string, lockedUntil: Date, phone: string): Promise<void> {
    await this.outbox.sendOnce({ key: `sms-scope-locked:${scope}:${lockedUntil.getTime()}`, phone, template: 'SCOPE_LOCKED', body: LOCK_NOTICE });
  }

  private codeFor(key: string): string {
    const n = createHmac('sha256', this.secret).update(`sms-code\u0000${key}`).digest().readUInt32BE(0);
    return String(n % 1_000_000).padStart(6, '0');
  }

  private hash(key: string, code: string): string {
    return createHmac('sha256', this.secret).update(`sms-hash\u0000${key}\u0000${code}`).digest('base64url');
  }
}

/** A code as issue() answers it (a new one, or the one an earlier call with the key made). */
interface IssuedRow {
  id: string;
  phoneEnc: string;
  phoneMasked: string;
  purpose: SmsPurpose;
  sentAt: string;
}

/** The newest code of a scope and purpose, as verify() compares it. */
interface LatestRow {
  id: string;
  key: string;
  codeHash: string;
  phoneEnc: string;
  consumed: boolean;
  consumedBy: string | null;
  expiresAt: Date;
}

/** Locks the scope (or keeps the running lock); returns until when, which also names the lock's notice. */
async function lockScope(db: Sql, scope: string, now: Date, reason: LockReason): Promise<Date> {
  const lockedUntil = new Date(now.getTime() + SMS_SCOPE_LOCK_MS);
  // A lock still running is kept as it is (the upsert's WHERE leaves it, and it is read back).
  const { rows } = await db.query<{ lockedUntil: Date }>({
    name: 'sms-lock-scope',
    text: `WITH up AS (
             INSERT INTO "SmsScopeLock" (scope, "lockedUntil", reason, "createdAt")
             VALUES ($1, ($2::timestamptz AT TIME ZONE 'UTC'), $3, ($4::timestamptz AT TIME ZONE 'UTC'))
             ON CONFLICT (scope) DO UPDATE SET "lockedUntil" = EXCLUDED."lockedUntil", reason = EXCLUDED.reason, "createdAt" = EXCLUDED."createdAt"
              WHERE "SmsScopeLock"."lockedUntil" <= EXCLUDED."createdAt"
             RETURNING "lockedUntil")
           SELECT "lockedUntil" AT TIME ZONE 'UTC' AS "lockedUntil" FROM up
           UNION ALL
           SELECT "lockedUntil" AT TIME ZONE 'UTC' FROM "SmsScopeLock" WHERE scope = $1 AND NOT EXISTS (SELECT 1 FROM up)`,
    values: [scope, utc(lockedUntil), reason, utc(now)],
  });
  return rows[0]!.lockedUntil;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
