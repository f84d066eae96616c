/**
 * The member's side of onboarding, reached by link token: what the page shows,
 * and each action turned into an update of the member's onboarding workflow.
 * A device that has not proved itself by SMS sees nothing of what was entered.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { AGREEMENTS, MEMBER_AGREEMENT_TEXT } from '../../domain/agreement';
import { agreementsAtSignUp } from '../../domain/ledger';
import { BusinessError } from '../../domain/errors';
import { MEMBER_AGREEMENT, nextInformationStep } from '../../domain/onboarding';
import { linkTokenHash } from '../../lib/business/link-tokens';
import { recordMemberConsent } from '../../lib/business/consents';
import { phoneOnFile } from '../../lib/business/member-phones';
import type { AppDeps } from '../context';
import { imageMimeType } from '../uploads';
import { fromTemporal } from '../errors';
import { type OnboardingPage, pageBySession, pageByTokenHash } from './page-query';

/** The page behind a link, or why the link cannot be used. */
async function resolveLink(deps: AppDeps, token: string, deviceHash: string): Promise<OnboardingPage> {
  const { sql, crypto } = deps.services;
  const page = await pageByTokenHash(sql, linkTokenHash(crypto, token), deviceHash);
  if (!page) throw new BusinessError('onboarding.link_invalid');
  const now = deps.services.clock.now();
  // While the 实名信息 waits for the vendor the link does not expire (its expiry moves once the wait is over).
  const expired = page.stage !== 'COMPLETED' && page.verificationPendingSince === null && page.expiresAt.getTime() <= now.getTime();
  if (expired || page.stage === 'EXPIRED' || page.stage === 'CANCELLED') {
    throw new BusinessError('onboarding.link_expired');
  }
  return page;
}

function maskedPhoneOnFile(p: OnboardingPage): string | null {
  return p.member.boundPhoneMasked ?? p.member.legalPhoneMasked ?? p.card?.reservedPhoneMasked ?? null;
}

/**
 * A device may see and continue an onboarding when it proved itself by SMS, or
 * while nothing that needs protecting was entered (no phone on file yet); such a
 * device is trusted from then on.
 */
async function isTrustedDevice(deps: AppDeps, p: OnboardingPage, deviceHash: string): Promise<boolean> {
  if (p.deviceTrusted) return true;
  if (maskedPhoneOnFile(p) !== null) return false;
  await trustDevice(deps, p.id, deviceHash);
  return true;
}

function trustDevice(deps: AppDeps, sessionId: string, deviceHash: string) {
  return deps.services.sql.query({
    name: 'trust-device',
    text: `INSERT INTO "TrustedDevice" (id, "sessionId", "deviceHash") VALUES (gen_random_uuid(), $1::uuid, $2) ON CONFLICT ("sessionId", "deviceHash") DO NOTHING`,
    values: [sessionId, deviceHash],
  });
}

async function requireTrustedDevice(deps: AppDeps, p: OnboardingPage, deviceHash: string): Promise<void> {
  if (!(await isTrustedDevice(deps, p, deviceHash))) {
    throw new BusinessError('onboarding.device_unverified', undefined, { phone: maskedPhoneOnFile(p) });
  }
}

export type OnboardingView = ReturnType<typeof viewFor>;

function viewFor(deps: AppDeps, p: OnboardingPage, trusted: boolean) {
  // A completed onboarding's link says only that: no data, no device check, no SMS.
  const finished = p.stage === 'COMPLETED';
  const base = {
    memberType: p.member.type,
    applicationName: p.applicationName,
    stage: p.stage,
    expiresAt: p.expiresAt.toISOString(),
    deviceVerified: trusted && !finished,
    verificationPhone: trusted || finished ? null : maskedPhoneOnFile(p),
    /** 认证中 (pending, since when) or the verdict found while the member was away. */
    verification: finished
      ? null
      : p.verificationPendingSince
        ? { pending: true, since: p.verificationPendingSince.toISOString(), note: null }
        : p.verificationNote
          ? { pending: false, since: null, note: p.verificationNote }
          : null,
  };
  if (!trusted || finished) return { ...base, stepsDone: [] as string[], nextStep: null, entered: null, codes: null, agreement: null, agreements: [] };
  const { crypto } = deps.services;
  const m = p.member;
  const card = p.card;
  return {
    ...base,
    stepsDone: p.stepsDone,
    nextStep: p.stage === 'INFORMATION' ? nextInformationStep(m.type, p.stepsDone) : null,
    entered: {
      realName:
        m.type === 'INDIVIDUAL' && card && m.personNameEnc
          ? { name: crypto.decrypt(m.personNameEnc), idNumber: m.idNumberMasked, cardNumber: card.cardNumberMasked, phone: card.reservedPhoneMasked }
          : null,
      company: m.companyName ? { name: m.companyName, creditCode: m.creditCode, address: m.address, businessScope: m.businessScope } : null,
      legalRepresentative:
        m.type === 'ENTERPRISE' && m.personNameEnc ? { name: crypto.decrypt(m.personNameEnc), idNumber: m.idNumberMasked, phone: m.legalPhoneMasked } : null,
      uploads: p.uploads,
      phoneOnFile: maskedPhoneOnFile(p),
      boundPhone: m.boundPhoneMasked,
    },
    codes: { phoneBinding: p.lastCodes.PHONE_BINDING ?? null, signing: p.lastCodes.AGREEMENT_SIGNING ?? null },
    agreement: { title: MEMBER_AGREEMENT.title, version: MEMBER_AGREEMENT.version, text: MEMBER_AGREEMENT_TEXT },
    // Everything the one signing code signs (realtime-settlement applications add the 会员支付账户协议).
    agreements: agreementsAtSignUp(p.fundMode).map(({ kind }) => ({
      kind,
      title: AGREEMENTS[kind].title,
      version: AGREEMENTS[kind].version,
      text: AGREEMENTS[kind].text,
    })),
  };
}

/** What the onboarding page shows for this link on this device. */
export async function viewOnboarding(deps: AppDeps, token: string, deviceHash: string) {
  const p = await resolveLink(deps, token, deviceHash);
  if (p.stage === 'COMPLETED') return viewFor(deps, p, false);
  return viewFor(deps, p, await isTrustedDevice(deps, p, deviceHash));
}

/**
 * Runs one member action as a workflow update and answers with the new view.
 * The workflow's activities wrote the read model before the update returned.
 */
export async function act(
  deps: AppDeps,
  token: string,
  deviceHash: string,
  update: (workflow: WorkflowHandle) => Promise<unknown>,
  /** The member's consent to sensitive personal information, given with this step (PIPL). */
  consent?: { source: 'MEMBER_PAGE' | 'MEMBER_CONFIRMATION'; client: { ip: string | null; userAgent: string | null } },
) {
  const p = await resolveLink(deps, token, deviceHash);
  if (p.stage === 'COMPLETED') throw new BusinessError('onboarding.completed');
  await requireTrustedDevice(deps, p, deviceHash);
  if (consent)
    await recordMemberConsent(deps.services.sql, {
      memberId: p.memberId,
      applicationId: p.applicationId,
      sessionId: p.id,
      source: consent.source,
      ...consent.client,
      at: deps.services.clock.now(),
    });
  // Without a running worker an update would wait forever: the member gets a clear 503 instead.
  const deadline = Date.now() + (deps.updateTimeoutMs ?? 15_000);
  try {
    await deps.temporal.withDeadline(deadline, () => update(deps.temporal.workflow.getHandle(p.workflowId)));
  } catch (err) {
    throw fromTemporal(err);
  }
  return viewFor(deps, await pageBySession(deps.services.sql, p.id, deviceHash), true);
}

/** 新设备验证: an SMS code to the phone on file. */
export async function sendDeviceCode(deps: AppDeps, token: string, deviceHash: string) {
  const { sql, crypto, challenges } = deps.services;
  const s = await resolveLink(deps, token, deviceHash);
  if (s.stage === 'COMPLETED') throw new BusinessError('onboarding.completed');
  const phone = await phoneOnFile(sql, crypto, s.memberId);
  if (!phone) throw new BusinessError('onboarding.no_phone');
  const sent = await challenges.issue({
    key: `device:${s.id}:${deviceHash}:${randomBytes(6).toString('hex')}`,
    scope: s.id,
    purpose: 'DEVICE_VERIFICATION',
    phone,
  });
  return { sentTo: sent.sentTo, sentAt: sent.sentAt };
}

export async function verifyDevice(deps: AppDeps, token: string, deviceHash: string, code: string) {
  const s = await resolveLink(deps, token, deviceHash);
  if (s.stage === 'COMPLETED') throw new BusinessError('onboarding.completed');
  // Each request is its own consumer: a used code trusts no second device.
  await deps.services.challenges.verify({ scope: s.id, purpose: 'DEVICE_VERIFICATION', code, consumer: `device:${deviceHash}:${randomUUID()}` });
  await trustDevice(deps, s.id, deviceHash);
  return viewFor(deps, await pageBySession(deps.services.sql, s.id, deviceHash), true);
}

/** 证照采集: stores one licence/ID photo (JPG/PNG by content, not by name) for the enterprise's session. */
export async function storeUpload(
  deps: AppDeps,
  token: string,
  deviceHash: string,
  kind: 'BUSINESS_LICENCE' | 'ID_FRONT' | 'ID_BACK',
  file: { buffer: Buffer; size: number } | undefined,
) {
  const s = await resolveLink(deps, token, deviceHash);
  await requireTrustedDevice(deps, s, deviceHash);
  if (s.member.type !== 'ENTERPRISE' || s.stage !== 'INFORMATION' || s.stepsDone.includes('LICENCES')) {
    throw new BusinessError('onboarding.wrong_stage');
  }
  if (!file || file.size === 0) throw new BusinessError('upload.missing');
  const mimeType = imageMimeType(file.buffer);
  if (!mimeType) throw new BusinessError('upload.wrong_type');
  const upload = await deps.services.prisma.upload.create({
    data: {
      memberId: s.memberId,
      sessionId: s.id,
      kind,
      mimeType,
      size: file.size,
      sha256: createHash('sha256').update(file.buffer).digest('hex'),
      data: new Uint8Array(file.buffer),
    },
    select: { id: true, kind: true, size: true, mimeType: true },
  });
  return upload;
}
