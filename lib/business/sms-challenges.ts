import { type Clock, systemClock } from '../adapters/clock';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { PrismaClient, SmsPurpose } from '@prisma/client';
import { BusinessError } from '../../domain/errors';
import { maskPhone } from '../../domain/masking';
import { SMS_CODE_MAX_WRONG_TRIES, SMS_CODE_RESEND_COOLDOWN_MS, SMS_CODE_VALIDITY_MS } from '../../domain/validity';
import type { FieldCrypto } from '../adapters/field-crypto';
import type { SmsOutbox } from './sms-outbox';

const TEMPLATES: Record<SmsPurpose, (code: string) => string> = {
  PHONE_BINDING: (c) => `【云商通】您正在绑定手机号，验证码${c}，10分钟内有效，请勿泄露给他人。`,
  AGREEMENT_SIGNING: (c) => `【云商通】您正在签署协议，验证码${c}，10分钟内有效，请勿泄露给他人。`,
  DEVICE_VERIFICATION: (c) => `【云商通】您正在新设备上继续开户，验证码${c}，10分钟内有效，请勿泄露给他人。`,
  PASSWORD_RESET: (c) => `【云商通】您正在重置登录密码，验证码${c}，10分钟内有效，请勿泄露给他人。`,
  MEMBER_PORTAL_LOGIN: (c) => `【云商通】您正在登录会员门户，验证码${c}，10分钟内有效，请勿泄露给他人。`,
};

export interface IssuedCode {
  challengeId: string;
  sentTo: string;
  sentAt: string;
}

/**
 * SMS verification codes, the one piece every flow uses for "we sent you a code".
 * Rules: 6 digits, valid 10 minutes, at most 5 wrong tries, 60 s between sends,
 * only a hash stored. `issue` is idempotent on its key: the code is derived from
 * the key with a server secret, so a retried call re-sends nothing already sent
 * and, if the send itself was lost, re-sends the same code.
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
    let challenge = await this.prisma.smsChallenge.findUnique({ where: { key: req.key } });
    if (!challenge) {
      const last = await this.prisma.smsChallenge.findFirst({
        where: { scope: req.scope, purpose: req.purpose },
        orderBy: { sentAt: 'desc' },
      });
      const wait = last ? last.sentAt.getTime() + SMS_CODE_RESEND_COOLDOWN_MS - now.getTime() : 0;
      if (wait > 0) {
        const retryAfterSeconds = Math.ceil(wait / 1000);
        throw new BusinessError('sms.cooldown', `验证码发送过于频繁，请${retryAfterSeconds}秒后再试`, {
          retryAfterSeconds,
        });
      }
      challenge = await this.prisma.smsChallenge.upsert({
        where: { key: req.key },
        update: {},
        create: {
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
    }
    await this.outbox.sendOnce({
      key: req.key,
      phone: this.crypto.decrypt(challenge.phoneEnc),
      template: challenge.purpose,
      body: TEMPLATES[challenge.purpose](this.codeFor(req.key)),
    });
    return { challengeId: challenge.id, sentTo: challenge.phoneMasked, sentAt: challenge.sentAt.toISOString() };
  }

  /** Checks a code against the newest code of that scope and purpose; consumes it on success. */
  async verify(req: { scope: string; purpose: SmsPurpose; code: string; now?: Date }): Promise<{ challengeId: string }> {
    const now = req.now ?? this.clock.now();
    const latest = await this.prisma.smsChallenge.findFirst({
      where: { scope: req.scope, purpose: req.purpose },
      orderBy: { sentAt: 'desc' },
    });
    if (!latest) throw new BusinessError('sms.code_missing');
    const matches = safeEqual(this.hash(latest.key, req.code), latest.codeHash);
    if (latest.consumedAt) {
      // A retried verification of a code that already succeeded succeeds again.
      if (matches) return { challengeId: latest.id };
      throw new BusinessError('sms.code_missing');
    }
    if (latest.attempts >= SMS_CODE_MAX_WRONG_TRIES) throw new BusinessError('sms.too_many_attempts');
    if (now.getTime() >= latest.expiresAt.getTime()) throw new BusinessError('sms.code_expired');
    if (!matches) {
      const updated = await this.prisma.smsChallenge.update({
        where: { id: latest.id },
        data: { attempts: { increment: 1 } },
      });
      const remainingTries = Math.max(0, SMS_CODE_MAX_WRONG_TRIES - updated.attempts);
      if (remainingTries === 0) throw new BusinessError('sms.too_many_attempts');
      throw new BusinessError('sms.code_wrong', `短信验证码错误，还可尝试${remainingTries}次`, { remainingTries });
    }
    await this.prisma.smsChallenge.updateMany({ where: { id: latest.id, consumedAt: null }, data: { consumedAt: now } });
    return { challengeId: latest.id };
  }

  private codeFor(key: string): string {
    const n = createHmac('sha256', this.secret).update(`sms-code\u0000${key}`).digest().readUInt32BE(0);
    return String(n % 1_000_000).padStart(6, '0');
  }

  private hash(key: string, code: string): string {
    return createHmac('sha256', this.secret).update(`sms-hash\u0000${key}\u0000${code}`).digest('base64url');
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
