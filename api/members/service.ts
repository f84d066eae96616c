/**
 * Members of an application (会员管理): add a member and start its onboarding,
 * list and show members, re-issue or rotate onboarding links. Every query is
 * scoped to the caller's application.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Member, OnboardingMode, OnboardingSession, Prisma } from '@prisma/client';
import QRCode from 'qrcode';
import { BusinessError } from '../../domain/errors';
import { INFORMATION_STEPS, TERMINAL_STAGES } from '../../domain/onboarding';
import { recordMemberEvent } from '../../lib/business/member-events';
import { maskIdNumber, maskPhone } from '../../domain/masking';
import { ONBOARDING_LINK_VALIDITY_MS } from '../../domain/validity';
import { isUniqueViolation } from '../../lib/adapters/db';
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
import type { AddMemberInput, ListMembersInput, ProxyMemberInput } from './schemas';
import { sealedBankCard } from '../../lib/business/bank-cards';
import { memberKeywordWhere, sealedPersonName } from '../../lib/business/person-names';

export interface OnboardingLink {
  url: string;
  expiresAt: string;
  qrCode: string;
}

const now = (deps: AppDeps) => deps.services.clock.now();

async function linkFor(deps: AppDeps, token: string, expiresAt: Date): Promise<OnboardingLink> {
  const url = onboardingUrl(deps.config.PUBLIC_BASE_URL, token);
  // SVG: no PNG encoding on the request path, and it scales on any screen.
  const svg = await QRCode.toString(url, { type: 'svg', margin: 1 });
  return { url, expiresAt: expiresAt.toISOString(), qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
}

/** The member an onboarding is opened for; a new one is created in the same transaction as its session. */
type OnboardingMember = Pick<Member, 'id' | 'applicationId' | 'bizUserId' | 'type'> & { application: { appNo: string } };

/**
 * Opens onboarding attempt `attempt` for a member: (for a new member, the
 * member itself,) the session row with the link's hash, its first event, the
 * audit entry and the member event — one transaction — then the workflow. If
 * the workflow cannot be started, the rows are removed again in one
 * transaction with `undo`'s, so no half-made member or session is left behind.
 */
async function openOnboarding(
  deps: AppDeps,
  actor: Actor,
  member: OnboardingMember,
  attempt: number,
  undo: () => Prisma.PrismaPromise<unknown>[],
  mode: OnboardingMode = 'SELF_SERVICE',
  beforeStart?: (tx: Prisma.TransactionClient, session: OnboardingSession) => Promise<void>,
  createMember?: (tx: Prisma.TransactionClient) => Promise<unknown>,
): Promise<{ session: OnboardingSession; link: OnboardingLink }> {
  const { prisma, crypto } = deps.services;
  const sessionId = randomUUID();
  // A proxy link goes out by SMS from the workflow, which rebuilds it from the session.
  const token = mode === 'PROXY' ? proxyLinkToken(crypto, sessionId, 1) : newLinkToken();
  const createdAt = now(deps);
  const expiresAt = new Date(createdAt.getTime() + (deps.linkValidityMs ?? ONBOARDING_LINK_VALIDITY_MS));
  const workflowId = memberOnboardingWorkflowId(member.application.appNo, member.bizUserId, attempt);
  let session: OnboardingSession;
  try {
    session = await prisma.$transaction(async (tx) => {
      if (createMember) {
        try {
          await createMember(tx);
        } catch (err) {
          if (isUniqueViolation(err)) throw new BusinessError('member.duplicate', `会员编号 ${member.bizUserId} 已存在`);
          throw err;
        }
      }
      const stage = mode === 'PROXY' ? 'CONFIRMATION' : 'INFORMATION';
      const created = await tx.onboardingSession.create({
        data: {
          id: sessionId,
          memberId: member.id,
          applicationId: member.applicationId,
          attempt,
          mode,
          workflowId,
          tokenHash: linkTokenHash(crypto, token),
          stage,
          stepsDone: mode === 'PROXY' ? [...INFORMATION_STEPS[member.type]] : [],
          expiresAt,
        },
      });
      const what = mode === 'PROXY' ? '平台代开户，开户信息已录入，确认开户短信将发送给会员' : '平台发起自主开户，开户链接已生成';
      await tx.onboardingEvent.create({
        data: {
          key: `${workflowId}:created`,
          sessionId: created.id,
          stage,
          kind: 'created',
          note: attempt === 1 ? what : `平台重新发起开户（第${attempt}次），新链接已生成`,
        },
      });
      if (beforeStart) await beforeStart(tx, created);
      if (attempt > 1) await tx.member.update({ where: { id: member.id }, data: { status: 'PENDING' } });
      await tx.auditLog.create(
        auditOf(actor, attempt === 1 ? 'member.onboarding.start' : 'member.onboarding.reissue', `member:${member.id}`, { workflowId, attempt }),
      );
      await recordMemberEvent(tx, member.id, attempt === 1 ? 'CREATED' : 'STAGE_CHANGED', {
        sessionId: created.id,
        stage,
        mode,
        ...(attempt > 1 ? { note: `平台重新发起开户（第${attempt}次）` } : {}),
      });
      return created;
    });
  } catch (err) {
    // Nothing was committed.
    if (isUniqueViolation(err)) throw new BusinessError('onboarding.still_active', '该会员的开户链接刚刚已重新发起');
    throw err;
  }
  const input: MemberOnboardingInput = {
    sessionId: session.id,
    memberId: member.id,
    applicationId: member.applicationId,
    memberType: member.type,
    mode,
    expiresAt: expiresAt.toISOString(),
    validityMs: expiresAt.getTime() - createdAt.getTime(),
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
        prisma.memberEvent.deleteMany({ where: { memberId: member.id, data: { path: ['sessionId'], equals: session.id } } }),
        prisma.onboardingEvent.deleteMany({ where: { sessionId: session.id } }),
        prisma.upload.deleteMany({ where: { sessionId: session.id } }),
        prisma.onboardingSession.delete({ where: { id: session.id } }),
        ...undo(),
      ]),
  });
  return { session, link: await linkFor(deps, token, expiresAt) };
}

/** 新增会员 → 自主开户: the member, its first onboarding session and workflow, and the link. */
export async function addMember(deps: AppDeps, actor: Actor, input: AddMemberInput) {
  const { prisma } = deps.services;
  const applicationId = applicationScope(actor);
  const application = await prisma.application.findUniqueOrThrow({ where: { id: applicationId }, select: { appNo: true } });
  const member = { id: randomUUID(), applicationId, bizUserId: input.bizUserId, type: input.type, application };
  const { link } = await openOnboarding(
    deps,
    actor,
    member,
    1,
    () => [prisma.member.delete({ where: { id: member.id } })],
    'SELF_SERVICE',
    undefined,
    (tx) =>
      tx.member.create({
        data: {
          id: member.id,
          applicationId,
          bizUserId: input.bizUserId,
          type: input.type,
          // An individual's name is stored masked and encrypted; an enterprise's name is not personal data.
          ...(input.type === 'INDIVIDUAL' ? sealedPersonName(deps.services.crypto, input.name) : { displayName: input.name }),
        },
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
 * individual's four elements are verified first), the member is created with it,
 * and the onboarding starts at confirmation; the workflow sends the
 * confirmation SMS with the link. Any refusal leaves nothing behind.
 */
export async function addProxyMember(deps: AppDeps, actor: Actor, input: ProxyMemberInput, files: ProxyUploads) {
  const { prisma, crypto, verifier } = deps.services;
  const applicationId = applicationScope(actor);
  const photos = input.type === 'ENTERPRISE' ? checkLicencePhotos(files) : [];
  if (input.type === 'INDIVIDUAL') {
    const verdict = await verifier.verifyFourElements(input.realName);
    if (!verdict.ok) {
      throw new BusinessError('verification.failed', `银行卡四要素认证未通过：${verdict.reason}`, { element: verdict.element });
    }
  }
  const verifiedAt = now(deps);
  const person = input.type === 'INDIVIDUAL' ? input.realName : input.legalRepresentative;
  const application = await prisma.application.findUniqueOrThrow({ where: { id: applicationId }, select: { appNo: true } });
  const member = { id: randomUUID(), applicationId, bizUserId: input.bizUserId, type: input.type, application };
  const createMember = (tx: Prisma.TransactionClient) =>
    tx.member.create({
      data: {
        id: member.id,
        applicationId,
        bizUserId: input.bizUserId,
        type: input.type,
        ...(input.type === 'INDIVIDUAL'
          ? sealedPersonName(crypto, person.name)
          : { displayName: input.company.name, personNameEnc: crypto.encrypt(person.name) }),
        idNumberEnc: crypto.encrypt(person.idNumber),
        idNumberMasked: maskIdNumber(person.idNumber),
        ...(input.type === 'INDIVIDUAL'
          ? {
              realNameVerifiedAt: verifiedAt,
              bankCards: {
                create: sealedBankCard(
                  crypto,
                  { cardNumber: input.realName.cardNumber, holderName: input.realName.name, reservedPhone: input.realName.phone },
                  verifiedAt,
                ),
              },
            }
          : {
              companyName: input.company.name,
              creditCode: input.company.creditCode,
              address: input.company.address,
              businessScope: input.company.businessScope,
              legalPhoneEnc: crypto.encrypt(input.legalRepresentative.phone),
              legalPhoneMasked: maskPhone(input.legalRepresentative.phone),
            }),
      },
    });
  const removeMember = () => [prisma.bankCard.deleteMany({ where: { memberId: member.id } }), prisma.member.delete({ where: { id: member.id } })];
  const storePhotos = async (tx: Prisma.TransactionClient, session: OnboardingSession) => {
    if (photos.length === 0) return;
    await tx.upload.createMany({
      data: photos.map((p) => ({ ...p, memberId: member.id, sessionId: session.id })),
    });
  };
  const { link } = await openOnboarding(deps, actor, member, 1, removeMember, 'PROXY', storePhotos, createMember);
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

function isActive(deps: AppDeps, session: OnboardingSession): boolean {
  return !TERMINAL_STAGES.includes(session.stage) && session.expiresAt.getTime() > now(deps).getTime();
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
    linkExpiresAt: m.onboardings[0]?.expiresAt.toISOString() ?? null,
    createdAt: m.createdAt.toISOString(),
  }));
}

/** 会员详情: masked identity, cards, agreements, every onboarding attempt with its stage history. */
export async function getMember(deps: AppDeps, actor: Actor, memberId: string) {
  const { prisma, crypto } = deps.services;
  const m = await prisma.member.findFirst({
    where: { id: memberId, applicationId: applicationScope(actor) },
    include: {
      bankCards: { orderBy: { createdAt: 'asc' } },
      agreements: { orderBy: { signedAt: 'desc' } },
      onboardings: { orderBy: { attempt: 'desc' }, include: { events: { orderBy: { at: 'asc' } } } },
    },
  });
  if (!m) throw new BusinessError('member.not_found');
  return {
    id: m.id,
    bizUserId: m.bizUserId,
    type: m.type,
    status: m.status,
    displayName: m.displayName,
    createdAt: m.createdAt.toISOString(),
    personName: m.personNameEnc ? crypto.decrypt(m.personNameEnc) : null,
    idNumber: m.idNumberMasked,
    realNameVerifiedAt: m.realNameVerifiedAt?.toISOString() ?? null,
    company: m.companyName ? { name: m.companyName, creditCode: m.creditCode, address: m.address, businessScope: m.businessScope } : null,
    legalPhone: m.legalPhoneMasked,
    boundPhone: m.boundPhoneMasked,
    bankCards: m.bankCards.map((c) => ({
      id: c.id,
      cardNumber: c.cardNumberMasked,
      reservedPhone: c.reservedPhoneMasked,
      corporate: c.corporate,
      verifiedAt: c.verifiedAt.toISOString(),
    })),
    agreements: m.agreements.map((a) => ({
      id: a.id,
      title: a.title,
      version: a.version,
      signMethod: a.signMethod,
      signedPhone: a.signedPhoneMasked,
      signedAt: a.signedAt.toISOString(),
    })),
    onboardings: m.onboardings.map((s) => ({
      id: s.id,
      attempt: s.attempt,
      mode: s.mode,
      stage: s.stage,
      stepsDone: s.stepsDone,
      waitingFor: s.waitingFor,
      workflowId: s.workflowId,
      expiresAt: s.expiresAt.toISOString(),
      createdAt: s.createdAt.toISOString(),
      completedAt: s.completedAt?.toISOString() ?? null,
      active: isActive(deps, s),
      history: s.events.map((e) => ({ stage: e.stage, kind: e.kind, note: e.note, at: e.at.toISOString() })),
    })),
  };
}
