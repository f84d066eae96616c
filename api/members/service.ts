/**
 * Members of an application (会员管理): add a member and start its onboarding,
 * list and show members, re-issue or rotate onboarding links. Every query is
 * scoped to the caller's application.
 */
import type { Member, OnboardingSession } from '@prisma/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import QRCode from 'qrcode';
import { BusinessError } from '../../domain/errors';
import { TERMINAL_STAGES } from '../../domain/onboarding';
import { ONBOARDING_LINK_VALIDITY_MS } from '../../domain/validity';
import { isUniqueViolation } from '../../lib/db';
import { linkTokenHash, newLinkToken, onboardingUrl } from '../../lib/link-tokens';
import { TASK_QUEUE, memberOnboardingWorkflowId } from '../../workflows/ids';
import { BUSINESS_KEY, ONBOARDING_STAGE } from '../../workflows/search-attributes';
import type { MemberOnboardingInput } from '../../workflows/member-onboarding/messages';
import { memberOnboarding } from '../../workflows/member-onboarding/workflow';
import type { Actor, AppDeps } from '../context';
import { applicationScope } from '../context';
import { pageOf, pageWindow } from '../pagination';
import type { AddMemberInput, ListMembersInput } from './schemas';

export interface OnboardingLink {
  url: string;
  expiresAt: string;
  qrCode: string;
}

const now = (deps: AppDeps) => (deps.now ? deps.now() : new Date());

async function linkFor(deps: AppDeps, token: string, expiresAt: Date): Promise<OnboardingLink> {
  const url = onboardingUrl(deps.config.PUBLIC_BASE_URL, token);
  // SVG: no PNG encoding on the request path, and it scales on any screen.
  const svg = await QRCode.toString(url, { type: 'svg', margin: 1 });
  return { url, expiresAt: expiresAt.toISOString(), qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
}

/**
 * Opens onboarding attempt `attempt` for a member: the session row (with the
 * link's hash) and the workflow. If the workflow cannot be started, the rows are
 * removed again, so no half-made member or session is left behind.
 */
async function openOnboarding(
  deps: AppDeps,
  actor: Actor,
  member: Member & { application: { appNo: string } },
  attempt: number,
  onFailure: () => Promise<void>,
): Promise<{ session: OnboardingSession; link: OnboardingLink }> {
  const { prisma, crypto } = deps.services;
  const token = newLinkToken();
  const createdAt = now(deps);
  const expiresAt = new Date(createdAt.getTime() + (deps.linkValidityMs ?? ONBOARDING_LINK_VALIDITY_MS));
  const workflowId = memberOnboardingWorkflowId(member.application.appNo, member.bizUserId, attempt);
  let session: OnboardingSession;
  try {
    session = await prisma.$transaction(async (tx) => {
      const created = await tx.onboardingSession.create({
        data: {
          memberId: member.id,
          applicationId: member.applicationId,
          attempt,
          mode: 'SELF_SERVICE',
          workflowId,
          tokenHash: linkTokenHash(crypto, token),
          expiresAt,
        },
      });
      await tx.onboardingEvent.create({
        data: {
          key: `${workflowId}:created`,
          sessionId: created.id,
          stage: 'INFORMATION',
          kind: 'created',
          note: attempt === 1 ? '平台发起自主开户，开户链接已生成' : `平台重新发起开户（第${attempt}次），新链接已生成`,
        },
      });
      if (attempt > 1) await tx.member.update({ where: { id: member.id }, data: { status: 'PENDING' } });
      await tx.auditLog.create({
        data: {
          actorId: actor.userId,
          actorRole: actor.role,
          action: attempt === 1 ? 'member.onboarding.start' : 'member.onboarding.reissue',
          target: `member:${member.id}`,
          detail: { workflowId, attempt },
        },
      });
      return created;
    });
  } catch (err) {
    await onFailure();
    if (isUniqueViolation(err)) throw new BusinessError('onboarding.still_active', '该会员的开户链接刚刚已重新发起');
    throw err;
  }
  const input: MemberOnboardingInput = {
    sessionId: session.id,
    memberId: member.id,
    applicationId: member.applicationId,
    memberType: member.type,
    mode: 'SELF_SERVICE',
    expiresAt: expiresAt.toISOString(),
  };
  try {
    await deps.temporal.workflow.start(memberOnboarding, {
      workflowId,
      taskQueue: TASK_QUEUE,
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: BUSINESS_KEY, value: `${member.application.appNo}/${member.bizUserId}` },
        { key: ONBOARDING_STAGE, value: 'INFORMATION' },
      ],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) {
      await prisma.$transaction([
        prisma.onboardingEvent.deleteMany({ where: { sessionId: session.id } }),
        prisma.onboardingSession.delete({ where: { id: session.id } }),
      ]);
      await onFailure();
      console.error('[api] starting the onboarding workflow failed:', err);
      throw new BusinessError('service.unavailable', '开户流程启动失败，请稍后重试');
    }
  }
  return { session, link: await linkFor(deps, token, expiresAt) };
}

/** 新增会员 → 自主开户: the member, its first onboarding session and workflow, and the link. */
export async function addMember(deps: AppDeps, actor: Actor, input: AddMemberInput) {
  const { prisma } = deps.services;
  const applicationId = applicationScope(actor);
  let member;
  try {
    member = await prisma.member.create({
      data: { applicationId, bizUserId: input.bizUserId, type: input.type, displayName: input.name },
      include: { application: { select: { appNo: true } } },
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new BusinessError('member.duplicate', `会员编号 ${input.bizUserId} 已存在`);
    throw err;
  }
  const removeMember = async () => {
    await prisma.auditLog.deleteMany({ where: { target: `member:${member.id}` } });
    await prisma.member.delete({ where: { id: member.id } });
  };
  const { link } = await openOnboarding(deps, actor, member, 1, removeMember);
  return { member: await getMember(deps, actor, member.id), link };
}

/** 重新发起开户: a new attempt once the previous link expired or was cancelled. */
export async function reissueOnboarding(deps: AppDeps, actor: Actor, memberId: string) {
  const member = await findScopedMember(deps, actor, memberId);
  const latest = member.onboardings[0];
  if (latest?.stage === 'COMPLETED') throw new BusinessError('onboarding.completed');
  if (latest && isActive(deps, latest)) throw new BusinessError('onboarding.still_active');
  // The new attempt sets the member back to PENDING; a failed start puts its status back.
  const restoreStatus = async () => {
    await deps.services.prisma.member.update({ where: { id: member.id }, data: { status: member.status } });
  };
  const { link } = await openOnboarding(deps, actor, member, (latest?.attempt ?? 0) + 1, restoreStatus);
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
  const token = newLinkToken();
  await prisma.$transaction([
    prisma.onboardingSession.update({ where: { id: latest.id }, data: { tokenHash: linkTokenHash(crypto, token) } }),
    prisma.onboardingEvent.create({
      data: {
        key: `${latest.workflowId}:link-rotated:${token.slice(0, 8)}`,
        sessionId: latest.id,
        stage: latest.stage,
        kind: 'link-rotated',
        note: '平台重新生成了开户链接，旧链接已失效',
      },
    }),
    prisma.auditLog.create({
      data: { actorId: actor.userId, actorRole: actor.role, action: 'member.onboarding.rotate-link', target: `member:${member.id}` },
    }),
  ]);
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
export async function listMembers(deps: AppDeps, actor: Actor, input: ListMembersInput) {
  const { prisma } = deps.services;
  const where = {
    applicationId: applicationScope(actor),
    ...(input.type ? { type: input.type } : {}),
    ...(input.status ? { status: input.status } : {}),
    ...(input.keyword
      ? {
          OR: [
            { bizUserId: { contains: input.keyword } },
            { displayName: { contains: input.keyword } },
            { companyName: { contains: input.keyword } },
          ],
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
  return pageOf(
    input,
    total,
    rows.map((m) => ({
      id: m.id,
      bizUserId: m.bizUserId,
      type: m.type,
      displayName: m.displayName,
      status: m.status,
      boundPhone: m.boundPhoneMasked,
      stage: m.onboardings[0]?.stage ?? null,
      linkExpiresAt: m.onboardings[0]?.expiresAt.toISOString() ?? null,
      createdAt: m.createdAt.toISOString(),
    })),
  );
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
    company: m.companyName
      ? { name: m.companyName, creditCode: m.creditCode, address: m.address, businessScope: m.businessScope }
      : null,
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

