/**
 * The member's side of onboarding, reached by link token: what the page shows,
 * and each action turned into an update of the member's onboarding workflow.
 * A device that has not proved itself by SMS sees nothing of what was entered.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Prisma } from '@prisma/client';
import type { WorkflowHandle } from '@temporalio/client';
import { MEMBER_AGREEMENT_TEXT } from '../../domain/agreement';
import { BusinessError } from '../../domain/errors';
import { MEMBER_AGREEMENT, nextInformationStep } from '../../domain/onboarding';
import { linkTokenHash } from '../../lib/business/link-tokens';
import { phoneOnFile } from '../../lib/business/member-phones';
import type { AppDeps } from '../context';
import { imageMimeType } from '../uploads';
import { fromTemporal } from '../errors';

const sessionInclude = {
  application: { select: { name: true } },
  member: { include: { bankCards: { orderBy: { createdAt: 'asc' }, take: 1 } } },
  devices: { select: { deviceHash: true } },
} satisfies Prisma.OnboardingSessionInclude;
type LinkedSession = Prisma.OnboardingSessionGetPayload<{ include: typeof sessionInclude }>;

/** The session behind a link, or why the link cannot be used. */
async function resolveLink(deps: AppDeps, token: string): Promise<LinkedSession> {
  const { prisma, crypto } = deps.services;
  const session = await prisma.onboardingSession.findUnique({
    where: { tokenHash: linkTokenHash(crypto, token) },
    include: sessionInclude,
  });
  if (!session) throw new BusinessError('onboarding.link_invalid');
  const now = deps.services.clock.now();
  const expired = session.stage !== 'COMPLETED' && session.expiresAt.getTime() <= now.getTime();
  if (expired || session.stage === 'EXPIRED' || session.stage === 'CANCELLED') {
    throw new BusinessError('onboarding.link_expired');
  }
  return session;
}

function maskedPhoneOnFile(s: LinkedSession): string | null {
  return s.member.boundPhoneMasked ?? s.member.legalPhoneMasked ?? s.member.bankCards[0]?.reservedPhoneMasked ?? null;
}

/**
 * A device may see and continue an onboarding when it proved itself by SMS, or
 * while nothing that needs protecting was entered (no phone on file yet); such a
 * device is trusted from then on.
 */
async function isTrustedDevice(deps: AppDeps, s: LinkedSession, deviceHash: string): Promise<boolean> {
  if (s.devices.some((d) => d.deviceHash === deviceHash)) return true;
  if (maskedPhoneOnFile(s) !== null) return false;
  await deps.services.prisma.trustedDevice.upsert({
    where: { sessionId_deviceHash: { sessionId: s.id, deviceHash } },
    update: {},
    create: { sessionId: s.id, deviceHash },
  });
  return true;
}

async function requireTrustedDevice(deps: AppDeps, s: LinkedSession, deviceHash: string): Promise<void> {
  if (!(await isTrustedDevice(deps, s, deviceHash))) {
    throw new BusinessError('onboarding.device_unverified', undefined, { phone: maskedPhoneOnFile(s) });
  }
}

export type OnboardingView = Awaited<ReturnType<typeof viewFor>>;

async function viewFor(deps: AppDeps, s: LinkedSession, trusted: boolean) {
  // A completed onboarding's link says only that: no data, no device check, no SMS.
  const finished = s.stage === 'COMPLETED';
  const base = {
    memberType: s.member.type,
    applicationName: s.application.name,
    stage: s.stage,
    expiresAt: s.expiresAt.toISOString(),
    deviceVerified: trusted && !finished,
    verificationPhone: trusted || finished ? null : maskedPhoneOnFile(s),
  };
  if (!trusted || finished) return { ...base, stepsDone: [] as string[], nextStep: null, entered: null, codes: null, agreement: null };
  const { prisma, crypto } = deps.services;
  const m = s.member;
  const [uploads, challenges] = await Promise.all([
    prisma.upload.findMany({ where: { sessionId: s.id }, select: { id: true, kind: true, size: true }, orderBy: { createdAt: 'asc' } }),
    prisma.smsChallenge.findMany({
      where: { scope: s.id, purpose: { in: ['PHONE_BINDING', 'AGREEMENT_SIGNING'] } },
      orderBy: { sentAt: 'desc' },
      select: { purpose: true, phoneMasked: true, sentAt: true },
    }),
  ]);
  const lastSent = (purpose: 'PHONE_BINDING' | 'AGREEMENT_SIGNING') => {
    const c = challenges.find((x) => x.purpose === purpose);
    return c ? { sentTo: c.phoneMasked, sentAt: c.sentAt.toISOString() } : null;
  };
  const card = m.bankCards[0];
  return {
    ...base,
    stepsDone: s.stepsDone,
    nextStep: s.stage === 'INFORMATION' ? nextInformationStep(m.type, s.stepsDone) : null,
    entered: {
      realName:
        m.type === 'INDIVIDUAL' && card && m.personNameEnc
          ? { name: crypto.decrypt(m.personNameEnc), idNumber: m.idNumberMasked, cardNumber: card.cardNumberMasked, phone: card.reservedPhoneMasked }
          : null,
      company: m.companyName ? { name: m.companyName, creditCode: m.creditCode, address: m.address, businessScope: m.businessScope } : null,
      legalRepresentative:
        m.type === 'ENTERPRISE' && m.personNameEnc ? { name: crypto.decrypt(m.personNameEnc), idNumber: m.idNumberMasked, phone: m.legalPhoneMasked } : null,
      uploads,
      phoneOnFile: maskedPhoneOnFile(s),
      boundPhone: m.boundPhoneMasked,
    },
    codes: { phoneBinding: lastSent('PHONE_BINDING'), signing: lastSent('AGREEMENT_SIGNING') },
    agreement: { title: MEMBER_AGREEMENT.title, version: MEMBER_AGREEMENT.version, text: MEMBER_AGREEMENT_TEXT },
  };
}

/** What the onboarding page shows for this link on this device. */
export async function viewOnboarding(deps: AppDeps, token: string, deviceHash: string) {
  const s = await resolveLink(deps, token);
  if (s.stage === 'COMPLETED') return viewFor(deps, s, false);
  return viewFor(deps, s, await isTrustedDevice(deps, s, deviceHash));
}

/**
 * Runs one member action as a workflow update and answers with the new view.
 * The workflow's activities wrote the read model before the update returned.
 */
export async function act(deps: AppDeps, token: string, deviceHash: string, update: (workflow: WorkflowHandle) => Promise<unknown>) {
  const s = await resolveLink(deps, token);
  if (s.stage === 'COMPLETED') throw new BusinessError('onboarding.completed');
  await requireTrustedDevice(deps, s, deviceHash);
  // Without a running worker an update would wait forever: the member gets a clear 503 instead.
  const deadline = Date.now() + (deps.updateTimeoutMs ?? 15_000);
  try {
    await deps.temporal.withDeadline(deadline, () => update(deps.temporal.workflow.getHandle(s.workflowId)));
  } catch (err) {
    throw fromTemporal(err);
  }
  return viewFor(deps, await resolveLinkAfterAction(deps, s.id), true);
}

async function resolveLinkAfterAction(deps: AppDeps, sessionId: string): Promise<LinkedSession> {
  return deps.services.prisma.onboardingSession.findUniqueOrThrow({ where: { id: sessionId }, include: sessionInclude });
}

/** 新设备验证: an SMS code to the phone on file. */
export async function sendDeviceCode(deps: AppDeps, token: string, deviceHash: string) {
  const { prisma, crypto, challenges } = deps.services;
  const s = await resolveLink(deps, token);
  if (s.stage === 'COMPLETED') throw new BusinessError('onboarding.completed');
  const phone = await phoneOnFile(prisma, crypto, s.memberId);
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
  const s = await resolveLink(deps, token);
  if (s.stage === 'COMPLETED') throw new BusinessError('onboarding.completed');
  // Each request is its own consumer: a used code trusts no second device.
  await deps.services.challenges.verify({ scope: s.id, purpose: 'DEVICE_VERIFICATION', code, consumer: `device:${deviceHash}:${randomUUID()}` });
  await deps.services.prisma.trustedDevice.upsert({
    where: { sessionId_deviceHash: { sessionId: s.id, deviceHash } },
    update: {},
    create: { sessionId: s.id, deviceHash },
  });
  return viewFor(deps, await resolveLinkAfterAction(deps, s.id), true);
}

/** 证照采集: stores one licence/ID photo (JPG/PNG by content, not by name) for the enterprise's session. */
export async function storeUpload(
  deps: AppDeps,
  token: string,
  deviceHash: string,
  kind: 'BUSINESS_LICENCE' | 'ID_FRONT' | 'ID_BACK',
  file: { buffer: Buffer; size: number } | undefined,
) {
  const s = await resolveLink(deps, token);
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
