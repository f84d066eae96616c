/**
 * Onboarding store: writes what the member entered and every stage change into
 * the database (system of record + the read model the portal lists). Every
 * activity is idempotent: a retry after success changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { Clock } from '../../lib/adapters/clock';
import type { OnboardingStage, Prisma, PrismaClient } from '@prisma/client';
import { BusinessError } from '../../domain/errors';
import { maskIdNumber, maskPhone } from '../../domain/masking';
import { INFORMATION_STEPS, type InformationStep, STEP_DONE_NOTES } from '../../domain/onboarding';
import type { FieldCrypto } from '../../lib/adapters/field-crypto';
import { recordMemberEvent } from '../../lib/business/member-events';
import { recordSignature } from '../../lib/business/signatures';
import type { SmsChallenges } from '../../lib/business/sms-challenges';
import type { CompanyInformation, IndividualRealName, LegalRepresentative, Licences, SigningClient } from '../../workflows/member-onboarding/messages';
import { sealedBankCard } from '../../lib/business/bank-cards';
import { sealedPersonName } from '../../lib/business/person-names';

/**
 * Who consumes an SMS code in an activity: this step of this workflow run. A retry of the step
 * (the worker died after consuming) presents the same identity and verifies again; nothing else does.
 */
function stepConsumer(): string {
  try {
    const info = Context.current().info;
    return `step:${info.workflowExecution?.workflowId}:${info.workflowExecution?.runId}:${info.activityId}`;
  } catch {
    return `call:${randomUUID()}`; // outside an activity (scripts): a single use
  }
}

export interface StepContext {
  workflowId: string;
  sessionId: string;
  memberId: string;
}

type Tx = Prisma.TransactionClient;

export function createOnboardingStoreActivities(deps: { clock: Clock; prisma: PrismaClient; crypto: FieldCrypto; challenges: SmsChallenges }) {
  const { prisma, crypto, challenges } = deps;

  /**
   * Marks an information step done (and the stage, when it was the last step).
   * Returns false when the step was already recorded, so callers skip their writes.
   */
  async function recordStep(tx: Tx, ctx: StepContext, step: InformationStep): Promise<boolean> {
    const session = await tx.onboardingSession.findUniqueOrThrow({
      where: { id: ctx.sessionId },
      include: { member: { select: { type: true } } },
    });
    if (session.stepsDone.includes(step)) return false;
    const stepsDone = [...session.stepsDone, step];
    const last = INFORMATION_STEPS[session.member.type].every((s) => stepsDone.includes(s));
    await tx.onboardingSession.update({
      where: { id: ctx.sessionId },
      data: { stepsDone, ...(last ? { stage: 'PHONE_BINDING' } : {}) },
    });
    await addEvent(tx, ctx, `step:${step}`, last ? 'PHONE_BINDING' : 'INFORMATION', STEP_DONE_NOTES[step]);
    return true;
  }

  /**
   * A step of the session's history, once per key, and with it the member
   * event the application's webhook receives (same transaction, same once).
   */
  async function addEvent(tx: Tx, ctx: StepContext, kind: string, stage: OnboardingStage, note: string) {
    const { count } = await tx.onboardingEvent.createMany({
      data: [{ key: `${ctx.workflowId}:${kind}`, sessionId: ctx.sessionId, stage, kind, note }],
      skipDuplicates: true,
    });
    if (count === 0) return;
    const type = kind === 'signed' ? 'SIGNED' : kind === 'closed:EXPIRED' ? 'EXPIRED' : kind === 'step:REAL_NAME' ? 'VERIFIED' : 'STAGE_CHANGED';
    await recordMemberEvent(tx, ctx.memberId, type, { sessionId: ctx.sessionId, stage, note, ...(type === 'SIGNED' ? { agreement: 'MEMBER_SERVICE' } : {}) });
  }

  return {
    /** 实名信息采集 (individual): the person and the verified bank card. */
    async saveRealName(req: StepContext & { data: IndividualRealName }): Promise<void> {
      const { data } = req;
      await prisma.$transaction(async (tx) => {
        if (!(await recordStep(tx, req, 'REAL_NAME'))) return;
        const now = deps.clock.now();
        await tx.member.update({
          where: { id: req.memberId },
          data: {
            ...sealedPersonName(crypto, data.name),
            idNumberEnc: crypto.encrypt(data.idNumber),
            idNumberMasked: maskIdNumber(data.idNumber),
            realNameVerifiedAt: now,
          },
        });
        const card = sealedBankCard(crypto, { cardNumber: data.cardNumber, holderName: data.name, reservedPhone: data.phone }, now);
        await tx.bankCard.upsert({
          where: { memberId_cardDigest: { memberId: req.memberId, cardDigest: card.cardDigest } },
          update: {},
          create: { memberId: req.memberId, ...card },
        });
      });
    },

    /** 企业基本信息采集. */
    async saveCompany(req: StepContext & { data: CompanyInformation }): Promise<void> {
      const { data } = req;
      await prisma.$transaction(async (tx) => {
        if (!(await recordStep(tx, req, 'COMPANY'))) return;
        await tx.member.update({
          where: { id: req.memberId },
          data: {
            displayName: data.name,
            companyName: data.name,
            creditCode: data.creditCode,
            address: data.address,
            businessScope: data.businessScope,
          },
        });
      });
    },

    /** 法人信息采集. */
    async saveLegalRepresentative(req: StepContext & { data: LegalRepresentative }): Promise<void> {
      const { data } = req;
      await prisma.$transaction(async (tx) => {
        if (!(await recordStep(tx, req, 'LEGAL_REPRESENTATIVE'))) return;
        await tx.member.update({
          where: { id: req.memberId },
          data: {
            personNameEnc: crypto.encrypt(data.name),
            idNumberEnc: crypto.encrypt(data.idNumber),
            idNumberMasked: maskIdNumber(data.idNumber),
            legalPhoneEnc: crypto.encrypt(data.phone),
            legalPhoneMasked: maskPhone(data.phone),
          },
        });
      });
    },

    /** 证照采集: the uploads must belong to this onboarding and be of the right kind. */
    async saveLicences(req: StepContext & { data: Licences }): Promise<void> {
      const wanted: Record<string, string> = {
        [req.data.businessLicenceUploadId]: 'BUSINESS_LICENCE',
        [req.data.idFrontUploadId]: 'ID_FRONT',
        [req.data.idBackUploadId]: 'ID_BACK',
      };
      const uploads = await prisma.upload.findMany({
        where: { id: { in: Object.keys(wanted) }, sessionId: req.sessionId },
        select: { id: true, kind: true },
      });
      if (uploads.length !== 3 || uploads.some((u) => wanted[u.id] !== u.kind)) {
        throw new BusinessError('upload.missing', '请上传营业执照、法人身份证人像面和国徽面');
      }
      await prisma.$transaction((tx) => recordStep(tx, req, 'LICENCES'));
    },

    /** 手机绑定: checks the code and binds the phone it was sent to. */
    async bindPhone(req: StepContext & { code: string }): Promise<void> {
      const { challengeId } = await challenges.verify({ scope: req.sessionId, purpose: 'PHONE_BINDING', code: req.code, consumer: stepConsumer() });
      const challenge = await prisma.smsChallenge.findUniqueOrThrow({ where: { id: challengeId } });
      const phone = crypto.decrypt(challenge.phoneEnc);
      await prisma.$transaction(async (tx) => {
        const session = await tx.onboardingSession.findUniqueOrThrow({ where: { id: req.sessionId } });
        if (session.stage !== 'PHONE_BINDING') return;
        await tx.member.update({
          where: { id: req.memberId },
          data: {
            boundPhoneEnc: crypto.encrypt(phone),
            boundPhoneMasked: maskPhone(phone),
            boundPhoneDigest: crypto.digest('phone', phone),
          },
        });
        await tx.onboardingSession.update({ where: { id: req.sessionId }, data: { stage: 'AGREEMENT_SIGNING' } });
        await addEvent(tx, req, 'phone-bound', 'AGREEMENT_SIGNING', `手机号${maskPhone(phone)}绑定成功，进入协议签约`);
      });
    },

    /** 确认开户 (proxy): the member confirmed what the platform entered. */
    async confirmProxyOnboarding(req: StepContext): Promise<void> {
      await prisma.$transaction(async (tx) => {
        const session = await tx.onboardingSession.findUniqueOrThrow({ where: { id: req.sessionId } });
        if (session.stage !== 'CONFIRMATION') return;
        await tx.onboardingSession.update({ where: { id: req.sessionId }, data: { stage: 'PHONE_BINDING' } });
        await addEvent(tx, req, 'confirmed', 'PHONE_BINDING', '会员已确认开户信息，进入手机绑定');
      });
    },

    /** 协议签约: checks the signing code, records the signature with its evidence; the member becomes normal. */
    async signAgreement(req: StepContext & { code: string; client: SigningClient | null }): Promise<void> {
      const { challengeId } = await challenges.verify({
        scope: req.sessionId,
        purpose: 'AGREEMENT_SIGNING',
        code: req.code,
        consumer: stepConsumer(),
      });
      const challenge = await prisma.smsChallenge.findUniqueOrThrow({ where: { id: challengeId } });
      const now = deps.clock.now();
      await prisma.$transaction(async (tx) => {
        const session = await tx.onboardingSession.findUniqueOrThrow({
          where: { id: req.sessionId },
          include: { member: { select: { personNameEnc: true, displayName: true } } },
        });
        if (session.stage !== 'AGREEMENT_SIGNING') return;
        await recordSignature(tx, {
          memberId: req.memberId,
          applicationId: session.applicationId,
          kind: 'MEMBER_SERVICE',
          sessionId: req.sessionId,
          evidence: {
            smsChallengeId: challengeId,
            signedPhoneMasked: challenge.phoneMasked,
            signerNameEnc: session.member.personNameEnc ?? crypto.encrypt(session.member.displayName),
            ip: req.client?.ip ?? null,
            userAgent: req.client?.userAgent ?? null,
          },
          signedAt: now,
        });
        await tx.member.update({ where: { id: req.memberId }, data: { status: 'NORMAL' } });
        await tx.onboardingSession.update({
          where: { id: req.sessionId },
          data: { stage: 'COMPLETED', completedAt: now, waitingFor: 'nobody' },
        });
        await addEvent(tx, req, 'signed', 'COMPLETED', '协议签约完成，开户成功');
      });
    },

    /** 延期 (operator): the link lives until the new time; a finished onboarding is left as it is. */
    async extendOnboardingLink(req: StepContext & { expiresAt: string; operatorId: string; reason: string }): Promise<void> {
      await prisma.$transaction(async (tx) => {
        const moved = await tx.onboardingSession.updateMany({
          where: { id: req.sessionId, stage: { notIn: ['COMPLETED', 'EXPIRED', 'CANCELLED'] } },
          data: { expiresAt: deps.clock.fromSystemTime(req.expiresAt) },
        });
        if (moved.count === 0) throw new BusinessError('flow.finished');
        await addEvent(
          tx,
          req,
          `extended:${req.expiresAt}`,
          (await tx.onboardingSession.findUniqueOrThrow({ where: { id: req.sessionId } })).stage,
          `运营人员延期至${req.expiresAt}：${req.reason}`,
        );
      });
    },

    /** Ends an onboarding that expired (7 days) or was cancelled; the platform may issue a new link. */
    async closeOnboarding(req: StepContext & { stage: 'EXPIRED' | 'CANCELLED'; note: string }): Promise<void> {
      await prisma.$transaction(async (tx) => {
        const session = await tx.onboardingSession.findUniqueOrThrow({ where: { id: req.sessionId } });
        if (session.stage === 'COMPLETED' || session.stage === req.stage) return;
        await tx.onboardingSession.update({ where: { id: req.sessionId }, data: { stage: req.stage, waitingFor: 'nobody' } });
        await tx.member.updateMany({ where: { id: req.memberId, status: 'PENDING' }, data: { status: 'EXPIRED' } });
        await addEvent(tx, req, `closed:${req.stage}`, req.stage, req.note);
      });
    },
  };
}
