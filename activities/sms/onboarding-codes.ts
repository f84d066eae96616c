/**
 * SMS codes of onboarding (phone binding, agreement signing), sent through the
 * shared SmsChallenges piece; idempotent on the key the workflow derives.
 */
import type { PrismaClient } from '@prisma/client';
import { BusinessError } from '../../domain/errors';
import { isValidMobile } from '../../domain/identity';
import type { FieldCrypto } from '../../lib/field-crypto';
import { phoneOnFile } from '../../lib/member-phones';
import type { IssuedCode, SmsChallenges } from '../../lib/sms-challenges';
import type { PhoneChoice } from '../../workflows/member-onboarding/messages';
import type { StepContext } from '../db/onboarding-store';

export function createSmsActivities(deps: { prisma: PrismaClient; crypto: FieldCrypto; challenges: SmsChallenges }) {
  const { prisma, crypto, challenges } = deps;
  return {
    /** Sends the phone-binding code to the phone on file or to an authorised phone. */
    async sendPhoneBindingCode(req: StepContext & { key: string; choice: PhoneChoice }): Promise<IssuedCode> {
      let phone: string | null;
      if (req.choice.source === 'AUTHORISED') {
        if (!isValidMobile(req.choice.phone)) throw new BusinessError('request.invalid', '手机号格式不正确');
        phone = req.choice.phone;
      } else {
        phone = await phoneOnFile(prisma, crypto, req.memberId);
      }
      if (!phone) throw new BusinessError('onboarding.no_phone');
      return challenges.issue({ key: req.key, scope: req.sessionId, purpose: 'PHONE_BINDING', phone });
    },

    /** Sends the agreement-signing code to the bound phone. */
    async sendSigningCode(req: StepContext & { key: string }): Promise<IssuedCode> {
      const member = await prisma.member.findUniqueOrThrow({ where: { id: req.memberId }, select: { boundPhoneEnc: true } });
      if (!member.boundPhoneEnc) throw new BusinessError('onboarding.no_phone');
      return challenges.issue({
        key: req.key,
        scope: req.sessionId,
        purpose: 'AGREEMENT_SIGNING',
        phone: crypto.decrypt(member.boundPhoneEnc),
      });
    },
  };
}
