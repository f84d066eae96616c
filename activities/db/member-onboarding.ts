/**
 * Onboarding store: writes what the member entered and every stage change into
 * the database (system of record + the read model the portal lists). Every
 * activity is idempotent: a retry after success changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { Clock } from '../../lib/adapters/clock';
import type { MemberType, OnboardingStage } from '@prisma/client';
import type pg from 'pg';
import { inTransaction, utc } from '../../lib/adapters/db';
import { BusinessError } from '../../domain/errors';
import { maskIdNumber, maskPhone } from '../../domain/masking';
import {
  COMPANY_REOPENED_NOTE,
  INFORMATION_STEPS,
  refusalReopensCompany,
  type InformationStep,
  STEP_DONE_NOTES,
  VERIFICATION_PENDING_NOTE,
} from '../../domain/onboarding';
import type { FieldCrypto } from '../../lib/adapters/field-crypto';
import { agreementOf } from '../../lib/business/signatures';
import { openMemberAccounts } from '../../lib/business/accounts';
import type { AgreementKind } from '../../domain/agreement';
import { type FundMode, agreementsAtSignUp } from '../../domain/ledger';
import type { BankCardVerifier, EnterpriseElements, EnterpriseVerdict, EnterpriseVerifier, VerificationResult } from '../../lib/adapters/verification';
import { type FlowStateReport, writeFlowState } from './flow-states';
import type { SmsChallenges } from '../../lib/business/sms-challenges';
import type { CompanyInformation, IndividualRealName, LegalRepresentative, Licences, SigningClient } from '../../workflows/member-onboarding/messages';
import { sealedBankCard } from '../../lib/business/bank-cards';
import { idNumberDigestOf, sealedIdNumber, sealedPersonName } from '../../lib/business/person-names';
import { verifyEnterpriseOrRetryLater, verifyOrRetryLater } from '../verification/four-elements';

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

/** Prisma's @updatedAt, which plain SQL must set itself. */
const NOW_UTC = `(now() AT TIME ZONE 'UTC')`;

/**
 * Writes run as plain SQL in one transaction each (services.sql): these are the steps members
 * wait on, and each would otherwise be five to eight Prisma queries.
 */
export function createOnboardingStoreActivities(deps: {
  clock: Clock;
  sql: pg.Pool;
  crypto: FieldCrypto;
  challenges: SmsChallenges;
  verifier: BankCardVerifier;
  enterpriseVerifier: EnterpriseVerifier;
}) {
  const { sql, crypto, challenges } = deps;

  /**
   * Marks an information step done (and the stage, when it was the last step).
   * Returns false when the step was already recorded, so callers skip their writes.
   */
  async function recordStep(db: pg.PoolClient, ctx: StepContext, step: InformationStep): Promise<boolean> {
    const {
      rows: [session],
    } = await db.query<{ stepsDone: InformationStep[]; type: MemberType }>({
      name: 'onboarding-step-state',
      text: `SELECT s."stepsDone", m.type FROM "OnboardingSession" s JOIN "Member" m ON m.id = s."memberId" WHERE s.id = $1::uuid`,
      values: [ctx.sessionId],
    });
    if (!session) throw new Error(`onboarding session ${ctx.sessionId} not found`);
    if (session.stepsDone.includes(step)) return false;
    const stepsDone = [...session.stepsDone, step];
    const last = INFORMATION_STEPS[session.type].every((s) => stepsDone.includes(s));
    await db.query({
      name: 'onboarding-step-done',
      text: `UPDATE "OnboardingSession" SET "stepsDone" = $2::text[], stage = COALESCE($3::"OnboardingStage", stage), "verificationNote" = NULL, "updatedAt" = ${NOW_UTC}
              WHERE id = $1::uuid`,
      values: [ctx.sessionId, stepsDone, last ? 'PHONE_BINDING' : null],
    });
    await addEvent(db, ctx, `step:${step}`, last ? 'PHONE_BINDING' : 'INFORMATION', STEP_DONE_NOTES[step]);
    return true;
  }

  /**
   * A step of the session's history, once per key, and with it the member
   * event the application's webhook receives (same statement, same once).
   */
  async function addEvent(db: pg.PoolClient, ctx: StepContext, kind: string, stage: OnboardingStage, note: string) {
    const type = kind === 'signed' ? 'SIGNED' : kind === 'closed:EXPIRED' ? 'EXPIRED' : kind === 'step:REAL_NAME' ? 'VERIFIED' : 'STAGE_CHANGED';
    const data = { sessionId: ctx.sessionId, stage, note, ...(type === 'SIGNED' ? { agreement: 'MEMBER_SERVICE' } : {}) };
    await db.query({
      name: 'onboarding-event',
      text: `WITH event AS (
               INSERT INTO "OnboardingEvent" (id, key, "sessionId", stage, kind, note)
               VALUES (gen_random_uuid(), $1, $2::uuid, $3::"OnboardingStage", $4, $5)
               ON CONFLICT (key) DO NOTHING RETURNING id)
             INSERT INTO "MemberEvent" ("applicationId", "memberId", "bizUserId", type, data)
             SELECT m."applicationId", m.id, m."bizUserId", $6, $7::jsonb FROM "Member" m
              WHERE m.id = $8::uuid AND EXISTS (SELECT 1 FROM event)`,
      values: [`${ctx.workflowId}:${kind}`, ctx.sessionId, stage, kind, note, type, JSON.stringify(data), ctx.memberId],
    });
  }

  /** Records a signed agreement, once per member, kind and session: a retried step finds the first one. */
  async function insertAgreement(db: pg.PoolClient, a: ReturnType<typeof agreementOf>): Promise<string> {
    const { rows } = await db.query<{ id: string }>({
      name: 'onboarding-agreement',
      text: `INSERT INTO "Agreement" (id, "memberId", "applicationId", "sessionId", kind, category, title, version, "documentHash", "signMethod", online,
                                     "signerNameEnc", "signedPhoneMasked", "smsChallengeId", ip, "userAgent", "signedAt")
             VALUES (gen_random_uuid(), $1::uuid, $2::uuid, $3::uuid, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::uuid, $14, $15, ($16::timestamptz AT TIME ZONE 'UTC'))
             ON CONFLICT ("memberId", kind, "sessionId") DO UPDATE SET kind = EXCLUDED.kind
             RETURNING id`,
      values: [
        a.memberId,
        a.applicationId,
        a.sessionId,
        a.kind,
        a.category,
        a.title,
        a.version,
        a.documentHash,
        a.signMethod,
        a.online,
        a.signerNameEnc,
        a.signedPhoneMasked,
        a.smsChallengeId,
        a.ip,
        a.userAgent,
        utc(a.signedAt),
      ],
    });
    return rows[0]!.id;
  }

  /** The session's stage, read inside the transaction that may change it. */
  async function stageOf(db: pg.PoolClient, sessionId: string): Promise<OnboardingStage> {
    const { rows } = await db.query<{ stage: OnboardingStage }>({
      name: 'onboarding-stage',
      text: `SELECT stage FROM "OnboardingSession" WHERE id = $1::uuid`,
      values: [sessionId],
    });
    if (!rows[0]) throw new Error(`onboarding session ${sessionId} not found`);
    return rows[0].stage;
  }

  async function setStage(db: pg.PoolClient, sessionId: string, stage: OnboardingStage, extra = '') {
    await db.query({
      text: `UPDATE "OnboardingSession" SET stage = $2::"OnboardingStage", "updatedAt" = ${NOW_UTC}${extra} WHERE id = $1::uuid`,
      values: [sessionId, stage],
    });
  }

  async function challengePhone(challengeId: string): Promise<{ phoneEnc: string; phoneMasked: string }> {
    const { rows } = await sql.query<{ phoneEnc: string; phoneMasked: string }>({
      name: 'onboarding-challenge-phone',
      text: `SELECT "phoneEnc", "phoneMasked" FROM "SmsChallenge" WHERE id = $1::uuid`,
      values: [challengeId],
    });
    return rows[0]!;
  }

  /** The person and the verified bank card of an individual's 实名信息采集 (once per step). */
  async function storeRealName(db: pg.PoolClient, req: StepContext & { data: IndividualRealName }): Promise<boolean> {
    if (!(await recordStep(db, req, 'REAL_NAME'))) return false;
    const { data } = req;
    const now = deps.clock.now();
    const person = sealedPersonName(crypto, data.name);
    const id = sealedIdNumber(crypto, data.idNumber);
    await db.query({
      name: 'onboarding-real-name',
      text: `UPDATE "Member" SET "displayName" = $2, "personNameEnc" = $3, "nameDigest" = $4, "idNumberEnc" = $5, "idNumberMasked" = $6, "idNumberDigest" = $8,
                    "realNameVerifiedAt" = ($7::timestamptz AT TIME ZONE 'UTC'), "updatedAt" = ${NOW_UTC} WHERE id = $1::uuid`,
      values: [req.memberId, person.displayName, person.personNameEnc, person.nameDigest, id.idNumberEnc, id.idNumberMasked, utc(now), id.idNumberDigest],
    });
    await insertVerifiedCard(db, req.memberId, data, now);
    return true;
  }

  /** The member's card, verified by its four elements at `verifiedAt` (once: a retry finds it). */
  async function insertVerifiedCard(db: pg.PoolClient, memberId: string, data: IndividualRealName, verifiedAt: Date) {
    const card = sealedBankCard(crypto, { cardNumber: data.cardNumber, holderName: data.name, reservedPhone: data.phone }, verifiedAt);
    await db.query({
      name: 'onboarding-bank-card',
      text: `INSERT INTO "BankCard" (id, "memberId", "cardNumberEnc", "cardNumberMasked", "cardDigest", "holderNameEnc", "reservedPhoneEnc", "reservedPhoneMasked", "verifiedAt")
             VALUES (gen_random_uuid(), $1::uuid, $2, $3, $4, $5, $6, $7, ($8::timestamptz AT TIME ZONE 'UTC'))
             ON CONFLICT ("memberId", "cardDigest") DO NOTHING`,
      values: [
        memberId,
        card.cardNumberEnc,
        card.cardNumberMasked,
        card.cardDigest,
        card.holderNameEnc,
        card.reservedPhoneEnc,
        card.reservedPhoneMasked,
        utc(card.verifiedAt),
      ],
    });
  }

  /** 企业基本信息 to be entered again (the enterprise four elements did not match the company). */
  async function reopenCompanyStep(ctx: StepContext) {
    await inTransaction(sql, async (db) => {
      const { rowCount } = await db.query({
        text: `UPDATE "OnboardingSession" SET "stepsDone" = array_remove("stepsDone", 'COMPANY'), "updatedAt" = ${NOW_UTC}
                WHERE id = $1::uuid AND stage = 'INFORMATION' AND 'COMPANY' = ANY("stepsDone")`,
        values: [ctx.sessionId],
      });
      if (rowCount) await addEvent(db, ctx, `reopened:COMPANY:${randomUUID()}`, 'INFORMATION', COMPANY_REOPENED_NOTE);
    });
  }

  /**
   * 企业四要素 of the company entered at 企业基本信息 and this representative; stored when they match.
   * A company that does not match sends the member back to 企业基本信息 (reopened here and in the flow);
   * a representative that does not match stays on this step.
   */
  async function submitLegalRepresentative(req: StepContext & { data: LegalRepresentative; retries?: number }): Promise<EnterpriseVerdict> {
    const { data } = req;
    const { rows } = await sql.query<{ companyName: string | null; creditCode: string | null }>({
      text: `SELECT "companyName", "creditCode" FROM "Member" WHERE id = $1::uuid`,
      values: [req.memberId],
    });
    const company = rows[0];
    if (!company?.companyName || !company.creditCode) throw new BusinessError('onboarding.step_order');
    const verdict = await verifyEnterpriseOrRetryLater(
      deps.enterpriseVerifier,
      { companyName: company.companyName, creditCode: company.creditCode, legalRepresentative: data.name, legalIdNumber: data.idNumber },
      { scope: { memberId: req.memberId }, ...(req.retries === undefined ? {} : { retries: req.retries }) },
    );
    if (!verdict.ok) {
      if (refusalReopensCompany(verdict.element)) await reopenCompanyStep(req);
      return verdict;
    }
    await inTransaction(sql, async (db) => {
      if (!(await recordStep(db, req, 'LEGAL_REPRESENTATIVE'))) return;
      await db.query({
        text: `UPDATE "Member" SET "personNameEnc" = $2, "idNumberEnc" = $3, "idNumberMasked" = $4, "legalPhoneEnc" = $5, "legalPhoneMasked" = $6,
                      "realNameVerifiedAt" = ($7::timestamptz AT TIME ZONE 'UTC'), "idNumberDigest" = $8, "updatedAt" = ${NOW_UTC} WHERE id = $1::uuid`,
        values: [
          req.memberId,
          crypto.encrypt(data.name),
          crypto.encrypt(data.idNumber),
          maskIdNumber(data.idNumber),
          crypto.encrypt(data.phone),
          maskPhone(data.phone),
          utc(deps.clock.now()),
          idNumberDigestOf(crypto, data.idNumber),
        ],
      });
    });
    return verdict;
  }

  return {
    /** 实名信息采集 (individual): the person and the verified bank card. */
    async saveRealName(req: StepContext & { data: IndividualRealName }): Promise<void> {
      await inTransaction(sql, (db) => storeRealName(db, req));
    },

    /**
     * 实名信息采集 as one step: four-element verification, then (when it passes) the person, the card
     * and the console's stage change in one transaction. A refusal writes nothing.
     */
    async submitRealName(req: StepContext & { data: IndividualRealName; report: FlowStateReport | null; retries?: number }): Promise<VerificationResult> {
      const verdict = await verifyOrRetryLater(deps.verifier, req.data, {
        scope: { memberId: req.memberId },
        ...(req.retries === undefined ? {} : { retries: req.retries }),
      });
      if (!verdict.ok) return verdict;
      await inTransaction(sql, async (db) => {
        if ((await storeRealName(db, req)) && req.report) await writeFlowState(db, deps.clock, req.report);
      });
      return verdict;
    },

    /**
     * 平台代开户 made 认证中: the four elements the platform entered, asked again until the vendor
     * answers (a retryable failure while it does not); verified, the person is marked and the card stored.
     */
    async verifyProxyRealName(req: StepContext & { data: IndividualRealName }): Promise<VerificationResult> {
      const verdict = await verifyOrRetryLater(deps.verifier, req.data, { scope: { memberId: req.memberId } });
      if (!verdict.ok) return verdict;
      const now = deps.clock.now();
      await inTransaction(sql, async (db) => {
        await db.query({
          text: `UPDATE "Member" SET "realNameVerifiedAt" = COALESCE("realNameVerifiedAt", ($2::timestamptz AT TIME ZONE 'UTC')), "updatedAt" = ${NOW_UTC} WHERE id = $1::uuid`,
          values: [req.memberId, utc(now)],
        });
        await insertVerifiedCard(db, req.memberId, req.data, now);
      });
      return verdict;
    },

    /**
     * 认证中: the vendor gave no verdict while the member waited; the flow keeps the submission and
     * asks again by itself. The pending mark keeps the link usable (the API reads it) and lists the member as 认证中.
     */
    async holdRealNameForVendor(req: StepContext & { hold: number; report: FlowStateReport }): Promise<void> {
      await inTransaction(sql, async (db) => {
        const { rowCount } = await db.query({
          text: `UPDATE "OnboardingSession" SET "verificationPendingSince" = COALESCE("verificationPendingSince", ($2::timestamptz AT TIME ZONE 'UTC')),
                        "verificationNote" = NULL, "updatedAt" = ${NOW_UTC}
                  WHERE id = $1::uuid AND stage = 'INFORMATION'`,
          values: [req.sessionId, utc(deps.clock.now())],
        });
        if (!rowCount) return;
        await addEvent(db, req, `verification-held:${req.hold}`, 'INFORMATION', VERIFICATION_PENDING_NOTE);
        await writeFlowState(db, deps.clock, req.report);
      });
    },

    /**
     * The wait on the vendor is over (a verdict, or the flow gave up): the pending mark goes, the link
     * lives until `expiresAt` (moved by the wait), and `memberNote` tells the member what the page did not.
     */
    async settleRealNameVerification(
      req: StepContext & { hold: number; expiresAt: string; note: string; memberNote: string | null; report: FlowStateReport },
    ): Promise<void> {
      await inTransaction(sql, async (db) => {
        const { rows } = await db.query<{ stage: OnboardingStage }>({
          text: `UPDATE "OnboardingSession" SET "verificationPendingSince" = NULL, "verificationNote" = $3,
                        "expiresAt" = ($2::timestamptz AT TIME ZONE 'UTC'), "updatedAt" = ${NOW_UTC}
                  WHERE id = $1::uuid AND stage NOT IN ('COMPLETED', 'EXPIRED', 'CANCELLED') RETURNING stage`,
          values: [req.sessionId, utc(deps.clock.fromSystemTime(req.expiresAt)), req.memberNote],
        });
        if (!rows[0]) return;
        await addEvent(db, req, `verification-settled:${req.hold}`, rows[0].stage, req.note);
        await writeFlowState(db, deps.clock, req.report);
      });
    },

    /** 企业基本信息采集. */
    async saveCompany(req: StepContext & { data: CompanyInformation }): Promise<void> {
      const { data } = req;
      await inTransaction(sql, async (db) => {
        if (!(await recordStep(db, req, 'COMPANY'))) return;
        await db.query({
          text: `UPDATE "Member" SET "displayName" = $2, "companyName" = $2, "creditCode" = $3, address = $4, "businessScope" = $5, "updatedAt" = ${NOW_UTC}
                  WHERE id = $1::uuid`,
          values: [req.memberId, data.name, data.creditCode, data.address, data.businessScope],
        });
      });
    },

    /**
     * 法人信息采集, verified with the company of the previous step as 企业四要素 before anything is
     * stored (old flows' activity: a refusal is thrown).
     */
    async saveLegalRepresentative(req: StepContext & { data: LegalRepresentative }): Promise<void> {
      const verdict = await submitLegalRepresentative(req);
      if (!verdict.ok)
        throw new BusinessError('verification.enterprise_failed', `企业信息核验未通过：${verdict.reason}`, {
          element: verdict.element,
          step: refusalReopensCompany(verdict.element) ? 'COMPANY' : 'LEGAL_REPRESENTATIVE',
        });
    },

    /**
     * 法人信息采集 as one step (认证中 possible): the verdict is returned, a refusal writes only the
     * reopened 企业基本信息 when the company did not match; the vendor without a verdict is a retryable
     * `verification.unavailable`.
     */
    submitLegalRepresentative,

    /**
     * 平台代开户 of an enterprise made 认证中: its four elements, asked again until the vendor answers;
     * verified, the enterprise is marked so.
     */
    async verifyProxyEnterprise(req: StepContext & { data: EnterpriseElements }): Promise<EnterpriseVerdict> {
      const verdict = await verifyEnterpriseOrRetryLater(deps.enterpriseVerifier, req.data, { scope: { memberId: req.memberId } });
      if (!verdict.ok) return verdict;
      await sql.query({
        text: `UPDATE "Member" SET "realNameVerifiedAt" = COALESCE("realNameVerifiedAt", ($2::timestamptz AT TIME ZONE 'UTC')), "updatedAt" = ${NOW_UTC} WHERE id = $1::uuid`,
        values: [req.memberId, utc(deps.clock.now())],
      });
      return verdict;
    },

    /** 证照采集: the uploads must belong to this onboarding and be of the right kind. */
    async saveLicences(req: StepContext & { data: Licences }): Promise<void> {
      const wanted: Record<string, string> = {
        [req.data.businessLicenceUploadId]: 'BUSINESS_LICENCE',
        [req.data.idFrontUploadId]: 'ID_FRONT',
        [req.data.idBackUploadId]: 'ID_BACK',
      };
      const { rows: uploads } = await sql.query<{ id: string; kind: string }>({
        text: `SELECT id, kind FROM "Upload" WHERE id = ANY($1::uuid[]) AND "sessionId" = $2::uuid`,
        values: [Object.keys(wanted), req.sessionId],
      });
      if (uploads.length !== 3 || uploads.some((u) => wanted[u.id] !== u.kind)) {
        throw new BusinessError('upload.missing', '请上传营业执照、法人身份证人像面和国徽面');
      }
      await inTransaction(sql, (db) => recordStep(db, req, 'LICENCES'));
    },

    /** 手机绑定: checks the code and binds the phone it was sent to. */
    async bindPhone(req: StepContext & { code: string; report?: FlowStateReport }): Promise<void> {
      const { challengeId } = await challenges.verify({ scope: req.sessionId, purpose: 'PHONE_BINDING', code: req.code, consumer: stepConsumer() });
      const phone = crypto.decrypt((await challengePhone(challengeId)).phoneEnc);
      await inTransaction(sql, async (db) => {
        if ((await stageOf(db, req.sessionId)) !== 'PHONE_BINDING') return;
        await db.query({
          name: 'onboarding-bind-phone',
          text: `UPDATE "Member" SET "boundPhoneEnc" = $2, "boundPhoneMasked" = $3, "boundPhoneDigest" = $4, "updatedAt" = ${NOW_UTC} WHERE id = $1::uuid`,
          values: [req.memberId, crypto.encrypt(phone), maskPhone(phone), crypto.digest('phone', phone)],
        });
        await setStage(db, req.sessionId, 'AGREEMENT_SIGNING');
        await addEvent(db, req, 'phone-bound', 'AGREEMENT_SIGNING', `手机号${maskPhone(phone)}绑定成功，进入协议签约`);
        if (req.report) await writeFlowState(db, deps.clock, req.report);
      });
    },

    /** 确认开户 (proxy): the member confirmed what the platform entered. */
    async confirmProxyOnboarding(req: StepContext): Promise<void> {
      await inTransaction(sql, async (db) => {
        if ((await stageOf(db, req.sessionId)) !== 'CONFIRMATION') return;
        await setStage(db, req.sessionId, 'PHONE_BINDING');
        await addEvent(db, req, 'confirmed', 'PHONE_BINDING', '会员已确认开户信息，进入手机绑定');
      });
    },

    /** 协议签约: checks the signing code, records the signature with its evidence; the member becomes normal. */
    async signAgreement(req: StepContext & { code: string; client: SigningClient | null; report?: FlowStateReport }): Promise<void> {
      const { challengeId } = await challenges.verify({
        scope: req.sessionId,
        purpose: 'AGREEMENT_SIGNING',
        code: req.code,
        consumer: stepConsumer(),
      });
      const challenge = await challengePhone(challengeId);
      const now = deps.clock.now();
      await inTransaction(sql, async (db) => {
        const {
          rows: [session],
        } = await db.query<{ stage: OnboardingStage; applicationId: string; fundMode: FundMode; personNameEnc: string | null; displayName: string }>({
          name: 'onboarding-signing-state',
          text: `SELECT s.stage, s."applicationId", a."fundMode", m."personNameEnc", m."displayName"
                   FROM "OnboardingSession" s JOIN "Member" m ON m.id = s."memberId" JOIN "Application" a ON a.id = s."applicationId"
                  WHERE s.id = $1::uuid`,
          values: [req.sessionId],
        });
        if (!session) throw new Error(`onboarding session ${req.sessionId} not found`);
        if (session.stage !== 'AGREEMENT_SIGNING') return;
        const evidence = {
          smsChallengeId: challengeId,
          signedPhoneMasked: challenge.phoneMasked,
          signerNameEnc: session.personNameEnc ?? crypto.encrypt(session.displayName),
          ip: req.client?.ip ?? null,
          userAgent: req.client?.userAgent ?? null,
        };
        const sign = (kind: AgreementKind) =>
          insertAgreement(
            db,
            agreementOf({ memberId: req.memberId, applicationId: session.applicationId, kind, sessionId: req.sessionId, evidence, signedAt: now }),
          );
        // Each agreement (one code signs them all) with the accounts it opens, in this transaction.
        for (const { kind, opens } of agreementsAtSignUp(session.fundMode)) {
          const agreementId = await sign(kind);
          await openMemberAccounts(db, { applicationId: session.applicationId, memberId: req.memberId, kinds: opens, agreementId });
        }
        await db.query({ text: `UPDATE "Member" SET status = 'NORMAL', "updatedAt" = ${NOW_UTC} WHERE id = $1::uuid`, values: [req.memberId] });
        await db.query({
          name: 'onboarding-completed',
          text: `UPDATE "OnboardingSession" SET stage = 'COMPLETED', "completedAt" = ($2::timestamptz AT TIME ZONE 'UTC'), "waitingFor" = 'nobody', "updatedAt" = ${NOW_UTC}
                  WHERE id = $1::uuid`,
          values: [req.sessionId, utc(now)],
        });
        await addEvent(db, req, 'signed', 'COMPLETED', '协议签约完成，开户成功');
        if (req.report) await writeFlowState(db, deps.clock, req.report);
      });
    },

    /** 延期 (operator): the link lives until the new time; a finished onboarding is left as it is. */
    async extendOnboardingLink(req: StepContext & { expiresAt: string; operatorId: string; reason: string }): Promise<void> {
      await inTransaction(sql, async (db) => {
        const { rows } = await db.query<{ stage: OnboardingStage }>({
          text: `UPDATE "OnboardingSession" SET "expiresAt" = ($2::timestamptz AT TIME ZONE 'UTC'), "updatedAt" = ${NOW_UTC}
                  WHERE id = $1::uuid AND stage NOT IN ('COMPLETED', 'EXPIRED', 'CANCELLED') RETURNING stage`,
          values: [req.sessionId, utc(deps.clock.fromSystemTime(req.expiresAt))],
        });
        if (!rows[0]) throw new BusinessError('flow.finished');
        await addEvent(db, req, `extended:${req.expiresAt}`, rows[0].stage, `运营人员延期至${req.expiresAt}：${req.reason}`);
      });
    },

    /** Ends an onboarding that expired (7 days) or was cancelled; the platform may issue a new link. */
    async closeOnboarding(req: StepContext & { stage: 'EXPIRED' | 'CANCELLED'; note: string }): Promise<void> {
      await inTransaction(sql, async (db) => {
        const stage = await stageOf(db, req.sessionId);
        if (stage === 'COMPLETED' || stage === req.stage) return;
        await setStage(db, req.sessionId, req.stage, `, "waitingFor" = 'nobody', "verificationPendingSince" = NULL`);
        await db.query({
          text: `UPDATE "Member" SET status = 'EXPIRED', "updatedAt" = ${NOW_UTC} WHERE id = $1::uuid AND status = 'PENDING'`,
          values: [req.memberId],
        });
        await addEvent(db, req, `closed:${req.stage}`, req.stage, req.note);
      });
    },
  };
}
