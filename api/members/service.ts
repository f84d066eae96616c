/**
 * Members of an application (会员管理): add a member and start its onboarding,
 * list and show members, re-issue or rotate onboarding links. Every query is
 * scoped to the caller's application.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Member, OnboardingMode, OnboardingSession, Prisma } from '@prisma/client';
import type pg from 'pg';
import { BusinessError } from '../../domain/errors';
import { INFORMATION_STEPS, TERMINAL_STAGES } from '../../domain/onboarding';
import { maskPhone } from '../../domain/masking';
import { ACCOUNT_KIND_LABELS, type MemberAccountKind, yuan } from '../../domain/ledger';
import { ONBOARDING_LINK_VALIDITY_MS } from '../../domain/validity';
import { inTransaction, insertRow, isUniqueViolationOf, isoText } from '../../lib/adapters/db';
import { linkTokenHash, newLinkToken, onboardingUrl, proxyLinkToken } from '../../lib/business/link-tokens';
import { memberOnboardingWorkflowId } from '../../workflows/ids';
import { ONBOARDING_STAGE } from '../../workflows/search-attributes';
import { type MemberOnboardingInput, linkRotatedSignal, memberOnboardingWorkflow } from '../../workflows/member-onboarding/messages';
import { auditOf } from '../audit';
import type { Actor, AppDeps } from '../context';
import { applicationScope } from '../context';
import { pageOf, pageWindow } from '../pagination';
import { startFlow } from '../workflow-calls';
import { imageMimeType } from '../uploads';
import { qrCodeDataUrl } from '../../lib/formats/qr-code';
import type { AddMemberInput, ListMembersInput, ProxyMemberInput } from './schemas';
import { sealedBankCard } from '../../lib/business/bank-cards';
import { VerifierUnavailableError } from '../../lib/adapters/verification';
import { autoWithdrawalOf } from './auto-withdrawal';
import { memberKeywordWhere, sealedIdNumber, sealedPersonName } from '../../lib/business/person-names';
import { CONSENT_VIEW_FIELDS, consentView } from '../../lib/business/consents';
import { withdrawMemberConsent } from './consent-withdrawal';

export interface OnboardingLink {
  url: string;
  expiresAt: string;
  qrCode: string;
}

const now = (deps: AppDeps) => deps.services.clock.now();

async function linkFor(deps: AppDeps, token: string, expiresAt: Date): Promise<OnboardingLink> {
  const url = onboardingUrl(deps.config.PUBLIC_BASE_URL, token);
  return { url, expiresAt: expiresAt.toISOString(), qrCode: await qrCodeDataUrl(url) };
}

/** The member an onboarding is opened for; a new one is created in the same transaction as its session. */
type OnboardingMember = Pick<Member, 'id' | 'applicationId' | 'bizUserId' | 'type'> & { application: { appNo: string } };

const NOW_UTC = `(now() AT TIME ZONE 'UTC')`;

/**
 * Opens onboarding attempt `attempt` for a member: (for a new member, the
 * member itself,) the session row with the link's hash, its first event, the
 * audit entry and the member event — one transaction, in plain SQL (adding members is
 * a hot path) — then the workflow. If the workflow cannot be started, the rows are
 * removed again in one transaction with `undo`'s, so no half-made member or session is left behind.
 */
async function openOnboarding(
  deps: AppDeps,
  actor: Actor,
  member: OnboardingMember,
  attempt: number,
  undo: () => Prisma.PrismaPromise<unknown>[],
  mode: OnboardingMode = 'SELF_SERVICE',
  beforeStart?: (db: pg.PoolClient, sessionId: string) => Promise<void>,
  createMember?: (db: pg.PoolClient) => Promise<unknown>,
  /** 平台代开户 while the vendor gave no verdict: the flow verifies first (认证中), then sends the confirmation SMS. */
  pending: Pick<MemberOnboardingInput, 'pendingRealName' | 'pendingEnterprise'> = {},
): Promise<{ sessionId: string; link: OnboardingLink }> {
  const { prisma, sql, crypto } = deps.services;
  const sessionId = randomUUID();
  // A proxy link goes out by SMS from the workflow, which rebuilds it from the session.
  const token = mode === 'PROXY' ? proxyLinkToken(crypto, sessionId, 1) : newLinkToken();
  const createdAt = now(deps);
  const expiresAt = new Date(createdAt.getTime() + (deps.linkValidityMs ?? ONBOARDING_LINK_VALIDITY_MS));
  const workflowId = memberOnboardingWorkflowId(member.application.appNo, member.bizUserId, attempt);
  const stage = mode === 'PROXY' ? 'CONFIRMATION' : 'INFORMATION';
  try {
    await inTransaction(sql, async (db) => {
      if (createMember) {
        try {
          await createMember(db);
        } catch (err) {
          if (isUniqueViolationOf(err)) throw new BusinessError('member.duplicate', `会员编号 ${member.bizUserId} 已存在`);
          throw err;
        }
      }
      const what = mode === 'PROXY' ? '平台代开户，开户信息已录入，确认开户短信将发送给会员' : '平台发起自主开户，开户链接已生成';
      const audit = auditOf(actor, attempt === 1 ? 'member.onboarding.start' : 'member.onboarding.reissue', `member:${member.id}`, {
        workflowId,
        attempt,
      }).data;
      const event = { sessionId, stage, mode, ...(attempt > 1 ? { note: `平台重新发起开户（第${attempt}次）` } : {}) };
      // The session, its first event, the audit entry, the member back to PENDING (a re-issue) and
      // the member event: one statement.
      await db.query({
        name: 'open-onboarding',
        text: `WITH session AS (
                 INSERT INTO "OnboardingSession" (id, "memberId", "applicationId", attempt, mode, "workflowId", "tokenHash", stage, "stepsDone", "expiresAt", "updatedAt")
                 VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5::"OnboardingMode", $6, $7, $8::"OnboardingStage", $9::text[], ($10::timestamptz AT TIME ZONE 'UTC'), ${NOW_UTC})
                 RETURNING id),
               event AS (
                 INSERT INTO "OnboardingEvent" (id, key, "sessionId", stage, kind, note)
                 SELECT gen_random_uuid(), $6 || ':created', id, $8::"OnboardingStage", 'created', $11 FROM session),
               audit AS (
                 INSERT INTO "AuditLog" (id, "actorId", "actorRole", action, target, detail)
                 VALUES (gen_random_uuid(), $12::uuid, $13, $14, $15, $16::jsonb)),
               pending AS (
                 UPDATE "Member" SET status = 'PENDING', "updatedAt" = ${NOW_UTC} WHERE id = $2::uuid AND $4 > 1)
             INSERT INTO "MemberEvent" ("applicationId", "memberId", "bizUserId", type, data)
             SELECT $3::uuid, $2::uuid, $17, $18, $19::jsonb FROM session`,
        values: [
          sessionId,
          member.id,
          member.applicationId,
          attempt,
          mode,
          workflowId,
          linkTokenHash(crypto, token),
          stage,
          mode === 'PROXY' ? [...INFORMATION_STEPS[member.type]] : [],
          expiresAt.toISOString(),
          attempt === 1 ? what : `平台重新发起开户（第${attempt}次），新链接已生成`,
          audit.actorId ?? null,
          audit.actorRole,
          audit.action,
          audit.target,
          audit.detail === undefined ? null : JSON.stringify(audit.detail),
          member.bizUserId,
          attempt === 1 ? 'CREATED' : 'STAGE_CHANGED',
          JSON.stringify(event),
        ],
      });
      if (beforeStart) await beforeStart(db, sessionId);
      if (pending.pendingRealName || pending.pendingEnterprise)
        await db.query(`UPDATE "OnboardingSession" SET "verificationPendingSince" = ($2::timestamptz AT TIME ZONE 'UTC') WHERE id = $1::uuid`, [
          sessionId,
          createdAt.toISOString(),
        ]);
    });
  } catch (err) {
    // Nothing was committed.
    if (isUniqueViolationOf(err)) throw new BusinessError('onboarding.still_active', '该会员的开户链接刚刚已重新发起');
    throw err;
  }
  const input: MemberOnboardingInput = {
    sessionId,
    memberId: member.id,
    applicationId: member.applicationId,
    memberType: member.type,
    mode,
    expiresAt: expiresAt.toISOString(),
    validityMs: expiresAt.getTime() - createdAt.getTime(),
    ...(pending.pendingRealName ? { pendingRealName: pending.pendingRealName } : {}),
    ...(pending.pendingEnterprise ? { pendingEnterprise: pending.pendingEnterprise } : {}),
  };
  await startFlow(deps, actor, memberOnboardingWorkflow, {
    workflowId,
    args: [input],
    businessKey: `${member.application.appNo}/${member.bizUserId}`,
    searchAttributes: [{ key: ONBOARDING_STAGE, value: mode === 'PROXY' ? 'CONFIRMATION' : 'INFORMATION' }],
    what: '开户流程',
    undo: () =>
      prisma.$transaction([
        // The event of a member that never got its onboarding is not delivered either.
        prisma.memberEvent.deleteMany({ where: { memberId: member.id, data: { path: ['sessionId'], equals: sessionId } } }),
        prisma.onboardingEvent.deleteMany({ where: { sessionId } }),
        prisma.upload.deleteMany({ where: { sessionId } }),
        prisma.onboardingSession.delete({ where: { id: sessionId } }),
        ...undo(),
      ]),
  });
  return { sessionId, link: await linkFor(deps, token, expiresAt) };
}

/** The application's number (immutable once created, so read once per process). */
const appNos = new Map<string, string>();
async function applicationNumber(deps: AppDeps, applicationId: string): Promise<{ appNo: string }> {
  let appNo = appNos.get(applicationId);
  if (!appNo) {
    const { rows } = await deps.services.sql.query<{ appNo: string }>({
      name: 'application-number',
      text: `SELECT "appNo" FROM "Application" WHERE id = $1::uuid`,
      values: [applicationId],
    });
    if (!rows[0]) throw new BusinessError('application.not_found');
    appNo = rows[0].appNo;
    appNos.set(applicationId, appNo);
  }
  return { appNo };
}

/** 新增会员 → 自主开户: the member, its first onboarding session and workflow, and the link. */
export async function addMember(deps: AppDeps, actor: Actor, input: AddMemberInput) {
  const { prisma } = deps.services;
  const applicationId = applicationScope(actor);
  const application = await applicationNumber(deps, applicationId);
  const member = { id: randomUUID(), applicationId, bizUserId: input.bizUserId, type: input.type, application };
  const { link } = await openOnboarding(
    deps,
    actor,
    member,
    1,
    () => [prisma.member.delete({ where: { id: member.id } })],
    'SELF_SERVICE',
    undefined,
    (db) =>
      insertRow(db, 'Member', {
        id: member.id,
        applicationId,
        bizUserId: input.bizUserId,
        type: input.type,
        // An individual's name is stored masked and encrypted; an enterprise's name is not personal data.
        ...(input.type === 'INDIVIDUAL' ? sealedPersonName(deps.services.crypto, input.name) : { displayName: input.name }),
        updatedAt: now(deps),
      }),
  );
  return { member: await getMember(deps, actor, member.id), link };
}

export interface ProxyUploads {
  BUSINESS_LICENCE?: { buffer: Buffer; size: number };
  ID_FRONT?: { buffer: Buffer; size: number };
  ID_BACK?: { buffer: Buffer; size: number };
}

/**
 * 新增会员 → 平台代开户: the platform enters the member's information (an
 * individual's bank card and an enterprise's four elements are verified first), the member is created with it,
 * and the onboarding starts at confirmation; the workflow sends the
 * confirmation SMS with the link. Any refusal leaves nothing behind.
 */
export async function addProxyMember(deps: AppDeps, actor: Actor, input: ProxyMemberInput, files: ProxyUploads) {
  const { prisma, crypto, verifier, enterpriseVerifier } = deps.services;
  const applicationId = applicationScope(actor);
  const photos = input.type === 'ENTERPRISE' ? checkLicencePhotos(files) : [];
  // Without the vendor's verdict the member is created 认证中: its flow asks the vendor again and sends
  // the confirmation SMS once verified (a mismatch found then cancels the onboarding). Never a mismatch.
  const noVerdict = (err: unknown) => {
    if (err instanceof VerifierUnavailableError) return null;
    throw err;
  };
  const pending: Pick<MemberOnboardingInput, 'pendingRealName' | 'pendingEnterprise'> = {};
  if (input.type === 'INDIVIDUAL') {
    const verdict = await verifier.verifyFourElements(input.realName, { retries: 0, scope: { applicationId } }).catch(noVerdict);
    if (verdict === null) pending.pendingRealName = input.realName;
    else if (!verdict.ok) {
      throw new BusinessError('verification.failed', `银行卡四要素认证未通过：${verdict.reason}`, { element: verdict.element });
    }
  } else {
    const elements = {
      companyName: input.company.name,
      creditCode: input.company.creditCode,
      legalRepresentative: input.legalRepresentative.name,
      legalIdNumber: input.legalRepresentative.idNumber,
    };
    const verdict = await enterpriseVerifier.verifyEnterprise(elements, { retries: 0, scope: { applicationId } }).catch(noVerdict);
    if (verdict === null) pending.pendingEnterprise = elements;
    else if (!verdict.ok) {
      throw new BusinessError('verification.enterprise_failed', `企业信息核验未通过：${verdict.reason}`, { element: verdict.element });
    }
  }
  const verifying = pending.pendingRealName !== undefined || pending.pendingEnterprise !== undefined;
  const verifiedAt = now(deps);
  const person = input.type === 'INDIVIDUAL' ? input.realName : input.legalRepresentative;
  const application = await applicationNumber(deps, applicationId);
  const member = { id: randomUUID(), applicationId, bizUserId: input.bizUserId, type: input.type, application };
  const createMember = async (db: pg.PoolClient) => {
    await insertRow(db, 'Member', {
      id: member.id,
      applicationId,
      bizUserId: input.bizUserId,
      type: input.type,
      ...(input.type === 'INDIVIDUAL'
        ? sealedPersonName(crypto, person.name)
        : { displayName: input.company.name, personNameEnc: crypto.encrypt(person.name) }),
      ...sealedIdNumber(crypto, person.idNumber),
      // Verified above: a person by the bank card's four elements, an enterprise by its own four (认证中: once its flow verified it).
      realNameVerifiedAt: verifying ? null : verifiedAt,
      ...(input.type === 'INDIVIDUAL'
        ? {}
        : {
            companyName: input.company.name,
            creditCode: input.company.creditCode,
            address: input.company.address,
            businessScope: input.company.businessScope,
            legalPhoneEnc: crypto.encrypt(input.legalRepresentative.phone),
            legalPhoneMasked: maskPhone(input.legalRepresentative.phone),
          }),
      updatedAt: now(deps),
    });
    if (input.type === 'INDIVIDUAL' && !verifying) {
      const card = sealedBankCard(
        crypto,
        { cardNumber: input.realName.cardNumber, holderName: input.realName.name, reservedPhone: input.realName.phone },
        verifiedAt,
      );
      await insertRow(db, 'BankCard', { id: randomUUID(), memberId: member.id, ...card });
    }
  };
  const removeMember = () => [prisma.bankCard.deleteMany({ where: { memberId: member.id } }), prisma.member.delete({ where: { id: member.id } })];
  const storePhotos = async (db: pg.PoolClient, sessionId: string) => {
    for (const p of photos) await insertRow(db, 'Upload', { id: randomUUID(), ...p, memberId: member.id, sessionId });
  };
  const { link } = await openOnboarding(deps, actor, member, 1, removeMember, 'PROXY', storePhotos, createMember, pending);
  return { member: await getMember(deps, actor, member.id), link };
}

/** The three licence/ID photos of an enterprise: all present, JPG or PNG by content. */
function checkLicencePhotos(files: ProxyUploads) {
  const kinds = ['BUSINESS_LICENCE', 'ID_FRONT', 'ID_BACK'] as const;
  return kinds.map((kind) => {
    const file = files[kind];
    if (!file || file.size === 0) throw new BusinessError('upload.missing', '请上传营业执照、法人身份证人像面和国徽面');
    const mimeType = imageMimeType(file.buffer);
    if (!mimeType) throw new BusinessError('upload.wrong_type');
    return {
      kind,
      mimeType,
      size: file.size,
      sha256: createHash('sha256').update(file.buffer).digest('hex'),
      data: new Uint8Array(file.buffer),
    };
  });
}

/** 重新发起开户: a new attempt once the previous link expired or was cancelled. */
export async function reissueOnboarding(deps: AppDeps, actor: Actor, memberId: string) {
  const member = await findScopedMember(deps, actor, memberId);
  const latest = member.onboardings[0];
  if (member.consentWithdrawnAt) throw new BusinessError('consent.withdrawn');
  if (latest?.stage === 'COMPLETED') throw new BusinessError('onboarding.completed');
  if (latest && isActive(deps, latest)) throw new BusinessError('onboarding.still_active');
  // The new attempt sets the member back to PENDING; a failed start puts its status back.
  const restoreStatus = () => [deps.services.prisma.member.update({ where: { id: member.id }, data: { status: member.status } })];
  const { link } = await openOnboarding(deps, actor, member, (latest?.attempt ?? 0) + 1, restoreStatus, latest?.mode ?? 'SELF_SERVICE');
  return { member: await getMember(deps, actor, member.id), link };
}

/** 重新生成链接: a fresh token for the running onboarding; the old link stops working. */
export async function rotateOnboardingLink(deps: AppDeps, actor: Actor, memberId: string) {
  const { prisma, crypto } = deps.services;
  const member = await findScopedMember(deps, actor, memberId);
  const latest = member.onboardings[0];
  if (!latest || !isActive(deps, latest)) {
    throw new BusinessError('onboarding.link_expired', '当前没有有效的开户链接，请重新发起开户');
  }
  const version = latest.tokenVersion + 1;
  const token = latest.mode === 'PROXY' ? proxyLinkToken(crypto, latest.id, version) : newLinkToken();
  await prisma.$transaction([
    prisma.onboardingSession.update({
      where: { id: latest.id },
      data: { tokenHash: linkTokenHash(crypto, token), tokenVersion: version },
    }),
    prisma.onboardingEvent.create({
      data: {
        key: `${latest.workflowId}:link-rotated:${token.slice(0, 8)}`,
        sessionId: latest.id,
        stage: latest.stage,
        kind: 'link-rotated',
        note:
          latest.mode === 'PROXY' && latest.stage === 'CONFIRMATION'
            ? '平台重新生成了开户链接并重发确认短信，旧链接已失效'
            : '平台重新生成了开户链接，旧链接已失效',
      },
    }),
    prisma.auditLog.create(auditOf(actor, 'member.onboarding.rotate-link', `member:${member.id}`)),
  ]);
  if (latest.mode === 'PROXY') {
    await deps.temporal.workflow
      .getHandle(latest.workflowId)
      .signal(linkRotatedSignal, { version })
      .catch((err: unknown) => console.error('[api] signalling the link rotation failed:', err));
  }
  return { link: await linkFor(deps, token, latest.expiresAt) };
}

/** Running, and its link still usable: before its expiry, or 认证中 (the link does not expire while it waits for the vendor). */
function isActive(deps: AppDeps, session: Pick<OnboardingSession, 'stage' | 'expiresAt' | 'verificationPendingSince'>): boolean {
  if (TERMINAL_STAGES.includes(session.stage)) return false;
  return session.verificationPendingSince !== null || session.expiresAt.getTime() > now(deps).getTime();
}

async function findScopedMember(deps: AppDeps, actor: Actor, memberId: string) {
  const member = await deps.services.prisma.member.findFirst({
    where: { id: memberId, applicationId: applicationScope(actor) },
    include: { application: { select: { appNo: true } }, onboardings: { orderBy: { attempt: 'desc' } } },
  });
  if (!member) throw new BusinessError('member.not_found');
  return member;
}

/** 会员查询. */
/** What every member list shows of a member (成员列表, 收单商户管理). */
export function memberRow(m: Pick<Member, 'id' | 'bizUserId' | 'type' | 'displayName' | 'status' | 'boundPhoneMasked'>) {
  return { id: m.id, bizUserId: m.bizUserId, type: m.type, displayName: m.displayName, status: m.status, boundPhone: m.boundPhoneMasked };
}

export async function listMembers(deps: AppDeps, actor: Actor, input: ListMembersInput) {
  const { prisma } = deps.services;
  const where = {
    applicationId: applicationScope(actor),
    ...(input.type ? { type: input.type } : {}),
    ...(input.status ? { status: input.status } : {}),
    ...(input.keyword
      ? {
          ...memberKeywordWhere(deps.services.crypto, input.keyword),
        }
      : {}),
  };
  const [total, rows] = await Promise.all([
    prisma.member.count({ where }),
    prisma.member.findMany({
      where,
      orderBy: { createdAt: 'desc' },
      ...pageWindow(input),
      include: { onboardings: { orderBy: { attempt: 'desc' }, take: 1 } },
    }),
  ]);
  return pageOf(input, total, rows, (m) => ({
    ...memberRow(m),
    stage: m.onboardings[0]?.stage ?? null,
    /** 认证中: the 实名信息 waits for the verification vendor. */
    verificationPending: !!m.onboardings[0]?.verificationPendingSince,
    linkExpiresAt: m.onboardings[0]?.expiresAt.toISOString() ?? null,
    createdAt: m.createdAt.toISOString(),
  }));
}

interface MemberDetailRow {
  id: string;
  bizUserId: string;
  type: Member['type'];
  status: Member['status'];
  displayName: string;
  createdAt: string;
  personNameEnc: string | null;
  idNumberMasked: string | null;
  realNameVerifiedAt: string | null;
  companyName: string | null;
  creditCode: string | null;
  address: string | null;
  businessScope: string | null;
  legalPhoneMasked: string | null;
  boundPhoneMasked: string | null;
  bankCards: { id: string; cardNumber: string; reservedPhone: string | null; corporate: boolean; bankName: string | null; verifiedAt: string }[];
  agreements: { id: string; title: string; version: string; signMethod: string; signedPhone: string; signedAt: string }[];
  /** The latest upload of each kind (营业执照, 法人身份证人像面 / 国徽面): what it is, never its content. */
  photos: { id: string; kind: string; mimeType: string; size: number; uploadedAt: string }[];
  accounts: { id: string; accountNo: string; kind: MemberAccountKind; balanceFen: string; agreement: string | null; openedAt: string }[];
  onboardings: {
    id: string;
    attempt: number;
    mode: OnboardingMode;
    stage: OnboardingSession['stage'];
    stepsDone: string[];
    waitingFor: string;
    workflowId: string;
    expiresAt: string;
    verificationPendingSince: string | null;
    verificationNote: string | null;
    createdAt: string;
    completedAt: string | null;
    history: { stage: OnboardingSession['stage']; kind: string; note: string; at: string }[];
  }[];
}

/** The member with its cards, agreements and onboardings (each with its history), in one statement. */
const MEMBER_DETAIL_SQL = `
SELECT m.id, m."bizUserId", m.type, m.status, m."displayName", ${isoText('m."createdAt"')} AS "createdAt", m."personNameEnc", m."idNumberMasked",
       ${isoText('m."realNameVerifiedAt"')} AS "realNameVerifiedAt", m."companyName", m."creditCode", m.address, m."businessScope",
       m."legalPhoneMasked", m."boundPhoneMasked",
       (SELECT coalesce(json_agg(json_build_object('id', c.id, 'cardNumber', c."cardNumberMasked", 'reservedPhone', c."reservedPhoneMasked",
                                                   'corporate', c.corporate, 'bankName', c."bankName", 'verifiedAt', ${isoText('c."verifiedAt"')}) ORDER BY c."createdAt"), '[]'::json)
          FROM "BankCard" c WHERE c."memberId" = m.id) AS "bankCards",
       (SELECT coalesce(json_agg(json_build_object('id', a.id, 'title', a.title, 'version', a.version, 'signMethod', a."signMethod",
                                                   'signedPhone', a."signedPhoneMasked", 'signedAt', ${isoText('a."signedAt"')}) ORDER BY a."signedAt" DESC), '[]'::json)
          FROM "Agreement" a WHERE a."memberId" = m.id) AS agreements,
       (SELECT coalesce(json_agg(json_build_object('id', x.id, 'accountNo', x."accountNo", 'kind', x.kind, 'balanceFen', x."balanceFen"::text,
                                                   'agreement', g.title, 'openedAt', ${isoText('x."createdAt"')}) ORDER BY x."accountNo"), '[]'::json)
          FROM "Account" x LEFT JOIN "Agreement" g ON g.id = x."agreementId" WHERE x."memberId" = m.id) AS accounts,
       (SELECT coalesce(json_agg(json_build_object('id', s.id, 'attempt', s.attempt, 'mode', s.mode, 'stage', s.stage, 'stepsDone', s."stepsDone",
                                                   'waitingFor', s."waitingFor", 'workflowId', s."workflowId", 'expiresAt', ${isoText('s."expiresAt"')},
                                                   'verificationPendingSince', ${isoText('s."verificationPendingSince"')}, 'verificationNote', s."verificationNote",
                                                   'createdAt', ${isoText('s."createdAt"')}, 'completedAt', ${isoText('s."completedAt"')},
                                                   'history', (SELECT coalesce(json_agg(json_build_object('stage', e.stage, 'kind', e.kind, 'note', e.note, 'at', ${isoText('e.at')})
                                                                               ORDER BY e.at), '[]'::json)
                                                                 FROM "OnboardingEvent" e WHERE e."sessionId" = s.id)) ORDER BY s.attempt DESC), '[]'::json)
          FROM "OnboardingSession" s WHERE s."memberId" = m.id) AS onboardings,
       (SELECT coalesce(json_agg(json_build_object('id', p.id, 'kind', p.kind, 'mimeType', p."mimeType", 'size', p.size, 'uploadedAt', ${isoText('p."createdAt"')})
                                 ORDER BY p.kind), '[]'::json)
          FROM (SELECT DISTINCT ON (u.kind) u.id, u.kind, u."mimeType", u.size, u."createdAt" FROM "Upload" u WHERE u."memberId" = m.id
                 ORDER BY u.kind, u."createdAt" DESC) p) AS photos
  FROM "Member" m WHERE m.id = $1::uuid AND m."applicationId" = $2::uuid`;

/** 会员详情: masked identity, cards, agreements, every onboarding attempt with its stage history. */
export async function getMember(deps: AppDeps, actor: Actor, memberId: string) {
  const { sql, crypto } = deps.services;
  if (!UUID.test(memberId)) throw new BusinessError('member.not_found');
  const { rows } = await sql.query<MemberDetailRow>({ name: 'member-detail', text: MEMBER_DETAIL_SQL, values: [memberId, applicationScope(actor)] });
  const m = rows[0];
  if (!m) throw new BusinessError('member.not_found');
  return {
    id: m.id,
    bizUserId: m.bizUserId,
    type: m.type,
    status: m.status,
    displayName: m.displayName,
    createdAt: m.createdAt,
    personName: m.personNameEnc ? crypto.decrypt(m.personNameEnc) : null,
    idNumber: m.idNumberMasked,
    realNameVerifiedAt: m.realNameVerifiedAt,
    company: m.companyName ? { name: m.companyName, creditCode: m.creditCode, address: m.address, businessScope: m.businessScope } : null,
    legalPhone: m.legalPhoneMasked,
    boundPhone: m.boundPhoneMasked,
    bankCards: m.bankCards,
    agreements: m.agreements,
    photos: m.photos,
    personalInformation: consentView(
      await deps.services.prisma.member.findUniqueOrThrow({
        where: { id: m.id },
        select: {
          consentWithdrawnAt: true,
          consents: { orderBy: { givenAt: 'asc' }, select: CONSENT_VIEW_FIELDS },
        },
      }),
    ),
    // Opened by the flows with the agreement each belongs to (lib/business/accounts.ts).
    accounts: m.accounts.map((a) => ({ ...a, kindLabel: ACCOUNT_KIND_LABELS[a.kind], balance: yuan(BigInt(a.balanceFen)) })),
    autoWithdrawal: await autoWithdrawalOf(deps, m.id),
    onboardings: m.onboardings.map(({ history, ...s }) => ({
      ...s,
      active: isActive(deps, {
        stage: s.stage,
        expiresAt: new Date(s.expiresAt),
        verificationPendingSince: s.verificationPendingSince ? new Date(s.verificationPendingSince) : null,
      }),
      history,
    })),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * 会员详情 → 证照: one uploaded licence or ID photo of the application's own member, shown to the
 * platform's portal user (the role the menu belongs to). Each view is audited with the photo's kind.
 */
export async function viewMemberPhoto(deps: AppDeps, actor: Actor, memberId: string, photoId: string) {
  const { prisma } = deps.services;
  const photo = await prisma.upload.findFirst({
    where: { id: photoId, memberId, member: { applicationId: applicationScope(actor) } },
    select: { id: true, kind: true, mimeType: true, data: true },
  });
  if (!photo) throw new BusinessError('member.photo_not_found');
  await prisma.auditLog.create(auditOf(actor, 'member.photo.view', `member:${memberId}`, { photoId: photo.id, kind: photo.kind }));
  return photo;
}

/** The member asked its platform to withdraw its consent (PIPL Art. 15): its own member only. */
export async function withdrawConsentFor(deps: AppDeps, actor: Actor, memberId: string, reason: string) {
  const member = await deps.services.prisma.member.findFirst({ where: { id: memberId, applicationId: applicationScope(actor) }, select: { id: true } });
  if (!member) throw new BusinessError('member.not_found');
  await withdrawMemberConsent(deps, actor, member.id, reason);
}
