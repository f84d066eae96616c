/**
 * SMS codes of onboarding (phone binding, agreement signing), sent through the
 * shared SmsChallenges piece; idempotent on the key the workflow derives.
 */
import type { PrismaClient } from '@prisma/client';
import type pg from 'pg';
import { BusinessError } from '../../domain/errors';
import { isValidMobile } from '../../domain/identity';
import { maskPhone } from '../../domain/masking';
import type { FieldCrypto } from '../../lib/adapters/field-crypto';
import { phoneOnFile } from '../../lib/business/member-phones';
import { linkTokenHash, onboardingUrl, proxyLinkToken } from '../../lib/business/link-tokens';
import type { IssuedCode, SmsChallenges } from '../../lib/business/sms-challenges';
import type { SmsOutbox } from '../../lib/business/sms-outbox';
import { formatDeadline } from '../../lib/business/signing-links';
import type { PhoneChoice } from '../../workflows/member-onboarding/messages';
import type { StepContext } from '../db/member-onboarding';

export function createSmsActivities(deps: {
  prisma: PrismaClient;
  sql: pg.Pool;
  crypto: FieldCrypto;
  challenges: SmsChallenges;
  outbox: SmsOutbox;
  publicBaseUrl: string;
}) {
  const { prisma, sql, crypto, challenges, outbox } = deps;
  return {
    /**
     * 确认开户短信 (proxy onboarding): the link, rebuilt from the session and its
     * link version, to the legal representative's or bank-reserved phone. A
     * version the platform has since rotated away is not sent any more.
     */
    async sendProxyConfirmation(req: StepContext & { version: number; resend?: number }): Promise<{ sentTo: string | null }> {
      const session = await prisma.onboardingSession.findUniqueOrThrow({
        where: { id: req.sessionId },
        include: { application: { select: { name: true } } },
      });
      if (session.tokenVersion !== req.version || session.stage !== 'CONFIRMATION') return { sentTo: null };
      const token = proxyLinkToken(crypto, session.id, req.version);
      if (linkTokenHash(crypto, token) !== session.tokenHash) return { sentTo: null };
      const phone = await phoneOnFile(sql, crypto, req.memberId);
      if (!phone) throw new BusinessError('onboarding.no_phone');
      await outbox.sendOnce({
        // An operator's 重发 is a new message; the first send and its retries are one.
        key: `proxy-confirmation:${session.id}:v${req.version}${req.resend ? `:r${req.resend}` : ''}`,
        phone,
        template: 'PROXY_CONFIRMATION',
        body: `【云商通】${session.application.name}已为您代办云商通会员开户，请于${formatDeadline(session.expiresAt)}前打开链接确认开户信息，并完成手机绑定和协议签约：${onboardingUrl(deps.publicBaseUrl, token)}`,
      });
      return { sentTo: maskPhone(phone) };
    },

    /**
     * 到期提醒: one SMS, 24 hours before the link expires, to the phone on file
     * (none yet: nothing is sent). A proxy link can be rebuilt and is included;
     * a self-service link exists only as a hash, so the member is told to open it again.
     */
    async sendOnboardingReminder(req: StepContext & { key: string }): Promise<{ sentTo: string | null }> {
      const session = await prisma.onboardingSession.findUniqueOrThrow({
        where: { id: req.sessionId },
        include: { application: { select: { name: true } } },
      });
      if (['COMPLETED', 'EXPIRED', 'CANCELLED'].includes(session.stage)) return { sentTo: null };
      const phone = await phoneOnFile(sql, crypto, req.memberId);
      if (!phone) return { sentTo: null };
      const link =
        session.mode === 'PROXY'
          ? `：${onboardingUrl(deps.publicBaseUrl, proxyLinkToken(crypto, session.id, session.tokenVersion))}`
          : '，请打开平台提供的开户链接继续';
      await outbox.sendOnce({
        key: req.key,
        phone,
        template: 'ONBOARDING_REMINDER',
        body: `【云商通】您在${session.application.name}的云商通会员开户尚未完成，链接将于${formatDeadline(session.expiresAt)}失效${link}。`,
      });
      return { sentTo: maskPhone(phone) };
    },

    /** Sends the phone-binding code to the phone on file or to an authorised phone. */
    async sendPhoneBindingCode(req: StepContext & { key: string; choice: PhoneChoice }): Promise<IssuedCode> {
      let phone: string | null;
      if (req.choice.source === 'AUTHORISED') {
        if (!isValidMobile(req.choice.phone)) throw new BusinessError('request.invalid', '手机号格式不正确');
        phone = req.choice.phone;
      } else {
        phone = await phoneOnFile(sql, crypto, req.memberId);
      }
      if (!phone) throw new BusinessError('onboarding.no_phone');
      return challenges.issue({ key: req.key, scope: req.sessionId, purpose: 'PHONE_BINDING', phone });
    },

    /** Sends the agreement-signing code to the bound phone. */
    async sendSigningCode(req: StepContext & { key: string }): Promise<IssuedCode> {
      const { rows } = await sql.query<{ boundPhoneEnc: string | null }>({
        name: 'member-bound-phone',
        text: `SELECT "boundPhoneEnc" FROM "Member" WHERE id = $1::uuid`,
        values: [req.memberId],
      });
      if (!rows[0]) throw new Error(`member ${req.memberId} not found`);
      if (!rows[0].boundPhoneEnc) throw new BusinessError('onboarding.no_phone');
      return challenges.issue({ key: req.key, scope: req.sessionId, purpose: 'AGREEMENT_SIGNING', phone: crypto.decrypt(rows[0].boundPhoneEnc) });
    },
  };
}
