import { type Clock, systemClock } from '../adapters/clock';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Prisma, PrismaClient, SmsChallenge, SmsPurpose } from '@prisma/client';
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
    private readonly prisma: PrismaClient,
    private readonly crypto: FieldCrypto,
    private readonly outbox: SmsOutbox,
    private readonly secret: string,
    private readonly clock: Clock = systemClock(),
  ) {}

  async issue(req: { key: string; scope: string; purpose: SmsPurpose; phone: string; now?: Date }): Promise<IssuedCode> {
    const now = req.now ?? this.clock.now();
    const decided = await this.prisma.$transaction(async (tx) => {
      // One issuer per scope at a time: the cooldown and the cap are read and written together.
      await tx.$executeRaw`SELECT 1 FROM pg_advisory_xact_lock(hashtextextended(${`sms-scope:${req.scope}`}, 0))`;
      const existing = await tx.smsChallenge.findUnique({ where: { key: req.key } });
      if (existing) return { challenge: existing, lockedUntil: null };
      await refuseWhenLocked(tx, req.scope, now);
      const last = await tx.smsChallenge.findFirst({ where: { scope: req.scope, purpose: req.purpose }, orderBy: { sentAt: 'desc' } });
      const wait = last ? last.sentAt.getTime() + SMS_CODE_RESEND_COOLDOWN_MS - now.getTime() : 0;
      if (wait > 0) {
        const retryAfterSeconds = Math.ceil(wait / 1000);
        throw new BusinessError('sms.cooldown', `验证码发送过于频繁，请${retryAfterSeconds}秒后再试`, { retryAfterSeconds });
      }
      const sentToday = await tx.smsChallenge.count({ where: { scope: req.scope, sentAt: { gt: new Date(now.getTime() - DAY_MS) } } });
      if (sentToday >= SMS_CODES_PER_SCOPE_PER_DAY) return { challenge: null, lockedUntil: await lockScope(tx, req.scope, now, 'CODES_SENT') };
      const challenge = await tx.smsChallenge.create({
        data: {
          key: req.key,
          scope: req.scope,
          purpose: req.purpose,
          phoneEnc: this.crypto.encrypt(req.phone),
          phoneMasked: maskPhone(req.phone),
          codeHash: this.hash(req.key, this.codeFor(req.key)),
          sentAt: now,
          expiresAt: new Date(now.getTime() + SMS_CODE_VALIDITY_MS),
        },
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
    return { challengeId: challenge.id, sentTo: challenge.phoneMasked, sentAt: challenge.sentAt.toISOString() };
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
    const latest = await this.prisma.smsChallenge.findFirst({ where: { scope: req.scope, purpose: req.purpose }, orderBy: { sentAt: 'desc' } });
    const matches = !!latest && safeEqual(this.hash(latest.key, req.code), latest.codeHash);
    // A retried step re-verifies what it consumed even if the scope was locked since.
    if (latest?.consumedAt) return this.alreadyConsumed(latest, matches, req.consumer);
    await refuseWhenLocked(this.prisma, req.scope, now);
    if (!latest) throw new BusinessError('sms.code_missing');
    if (now.getTime() >= latest.expiresAt.getTime()) throw new BusinessError('sms.code_expired');

    // Claim the comparison before making it, so concurrent guesses never exceed the limit.
    const [claim] = await this.prisma.$queryRaw<{ attempts: number }[]>`
      UPDATE "SmsChallenge" SET attempts = attempts + 1
      WHERE id = ${latest.id}::uuid AND "consumedAt" IS NULL AND attempts < ${SMS_CODE_MAX_WRONG_TRIES}
      RETURNING attempts`;
    if (!claim) {
      const fresh = await this.prisma.smsChallenge.findUniqueOrThrow({ where: { id: latest.id } });
      if (fresh.consumedAt) return this.alreadyConsumed(fresh, matches, req.consumer);
      throw new BusinessError('sms.too_many_attempts');
    }
    if (!matches) {
      await this.countWrongCode(req.scope, now, latest);
      const remainingTries = SMS_CODE_MAX_WRONG_TRIES - claim.attempts;
      if (remainingTries === 0) throw new BusinessError('sms.too_many_attempts');
      throw new BusinessError('sms.code_wrong', `短信验证码错误，还可尝试${remainingTries}次`, { remainingTries });
    }
    await req.beforeConsume?.();
    const consumed = await this.prisma.smsChallenge.updateMany({
      where: { id: latest.id, consumedAt: null },
      data: { consumedAt: now, consumedBy: req.consumer },
    });
    if (consumed.count === 0) {
      // Another submission of the same code won the race.
      return this.alreadyConsumed(await this.prisma.smsChallenge.findUniqueOrThrow({ where: { id: latest.id } }), matches, req.consumer);
    }
    return { challengeId: latest.id };
  }

  private alreadyConsumed(challenge: SmsChallenge, matches: boolean, consumer: string): { challengeId: string } {
    if (matches && challenge.consumedBy === consumer) return { challengeId: challenge.id };
    throw new BusinessError('sms.code_used');
  }

  /** A wrong code counts against the scope's daily cap; reaching it locks the scope. */
  private async countWrongCode(scope: string, now: Date, latest: SmsChallenge): Promise<void> {
    const since = new Date(now.getTime() - DAY_MS);
    // Comparisons of the day minus the one correct comparison of each consumed code.
    const [row] = await this.prisma.$queryRaw<{ wrong: bigint }[]>`
      SELECT COALESCE(SUM(attempts), 0) - COUNT(*) FILTER (WHERE "consumedAt" IS NOT NULL) AS wrong
      FROM "SmsChallenge" WHERE scope = ${scope} AND "sentAt" > ${since}`;
    if (Number(row?.wrong ?? 0) < SMS_WRONG_CODES_PER_SCOPE_PER_DAY) return;
    const lockedUntil = await this.prisma.$transaction((tx) => lockScope(tx, scope, now, 'WRONG_CODES'));
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

type Db = Pick<Prisma.TransactionClient, 'smsScopeLock'>;

async function refuseWhenLocked(db: Db, scope: string, now: Date): Promise<void> {
  const lock = await db.smsScopeLock.findUnique({ where: { scope } });
  if (lock && lock.lockedUntil.getTime() > now.getTime()) throw new BusinessError('sms.scope_locked');
}

/** Locks the scope (or keeps the running lock); returns until when, which also names the lock's notice. */
async function lockScope(db: Db, scope: string, now: Date, reason: LockReason): Promise<Date> {
  const current = await db.smsScopeLock.findUnique({ where: { scope } });
  if (current && current.lockedUntil.getTime() > now.getTime()) return current.lockedUntil;
  const lockedUntil = new Date(now.getTime() + SMS_SCOPE_LOCK_MS);
  await db.smsScopeLock.upsert({ where: { scope }, update: { lockedUntil, reason, createdAt: now }, create: { scope, lockedUntil, reason, createdAt: now } });
  return lockedUntil;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
