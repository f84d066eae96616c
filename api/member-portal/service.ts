/**
 * 会员门户 (post-settlement applications): a member with real-name
 * verification and a bound phone proves the phone by SMS code, picks which of
 * that phone's members to set up, and picks username + password or phone
 * login. One login per member; one phone is the login phone of at most one
 * member. Then: my information and my account movements.
 */
import { hash } from '@node-rs/argon2';
import { randomBytes, randomUUID } from 'node:crypto';
import { Prisma } from '@prisma/client';
import { BusinessError } from '../../domain/errors';
import { ACCOUNT_KIND_LABELS, type AccountKind, yuan } from '../../domain/ledger';
import { passwordProblem } from '../../domain/passwords';
import type { Services } from '../../lib/services';
import type { Actor, AppDeps } from '../context';
import type { SetupInput } from './schemas';
import { isExpectedSmsRefusal } from '../../lib/business/sms-challenges';
import { timeOfDay } from '../../lib/business/auto-withdrawals';
import { CONSENT_VIEW_FIELDS, consentView } from '../../lib/business/consents';
import { withdrawMemberConsent } from '../members/consent-withdrawal';

/** The first-login proof of the phone is good for this long. */
export const PHONE_PROOF_MS = 10 * 60 * 1000;

const phoneDigest = (services: Services, phone: string) => services.crypto.digest('phone', phone);

/** Members a phone may set up: bound to it, real-name verified, normal, of a post-settlement application. */
async function membersOfPhone(services: Services, digest: string) {
  return services.prisma.member.findMany({
    where: { boundPhoneDigest: digest, status: 'NORMAL', realNameVerifiedAt: { not: null }, application: { fundMode: 'POST_SETTLEMENT' } },
    include: { application: { select: { appNo: true, name: true } } },
    orderBy: { createdAt: 'asc' },
  });
}

/**
 * A code to the phone when it has members to set up (first login) or is a
 * member's login phone (phone login). The caller answers the same either way;
 * this runs after the answer.
 */
export function sendPortalCode(services: Services, phone: string, purpose: 'first-login' | 'phone-login', log: (err: unknown) => void): void {
  void (async () => {
    const digest = phoneDigest(services, phone);
    const known =
      purpose === 'first-login'
        ? (await membersOfPhone(services, digest)).length > 0
        : !!(await services.prisma.user.findUnique({ where: { loginPhoneDigest: digest }, select: { id: true } }));
    if (!known) return;
    await services.challenges.issue({
      key: `member-portal:${purpose}:${digest}:${Date.now()}`,
      scope: `member-portal:${purpose}:${digest}`,
      purpose: 'MEMBER_PORTAL_LOGIN',
      phone,
    });
  })().catch((err) => {
    if (!isExpectedSmsRefusal(err)) log(err);
  });
}

/** The code proves the phone (wrong, expired and unknown all answer alike). */
export async function verifyPortalCode(services: Services, phone: string, code: string, purpose: 'first-login' | 'phone-login'): Promise<string> {
  const digest = phoneDigest(services, phone);
  const scope = `member-portal:${purpose}:${digest}`;
  try {
    // A sign-in code signs in once: every request is its own consumer.
    await services.challenges.verify({ scope, purpose: 'MEMBER_PORTAL_LOGIN', code, consumer: `portal-login:${randomUUID()}` });
  } catch (err) {
    if (err instanceof BusinessError && err.id.startsWith('sms.')) throw new BusinessError('member_portal.login_failed', err.message);
    throw err;
  }
  return digest;
}

/** The phone's members: which can be set up, which already are (shown, not selectable). */
export async function setupChoices(services: Services, digest: string) {
  const members = await membersOfPhone(services, digest);
  const [logins, phoneLogin] = await Promise.all([
    services.prisma.user.findMany({ where: { memberId: { in: members.map((m) => m.id) } }, select: { memberId: true } }),
    services.prisma.user.findUnique({ where: { loginPhoneDigest: digest }, select: { memberId: true } }),
  ]);
  const setUp = new Set(logins.map((l) => l.memberId));
  return {
    phoneLoginTaken: !!phoneLogin,
    members: members.map((m) => ({
      id: m.id,
      name: m.displayName,
      type: m.type,
      application: m.application,
      setUp: setUp.has(m.id),
    })),
  };
}

/** 开通: the member's login, username + password or the phone; refused for members not of this phone or already set up. */
export async function setUpMember(services: Services, digest: string, input: SetupInput): Promise<Actor> {
  const { prisma } = services;
  const member = (await membersOfPhone(services, digest)).find((m) => m.id === input.memberId);
  if (!member) throw new BusinessError('member_portal.not_eligible');
  if (input.mode === 'PASSWORD') {
    const problem = passwordProblem(input.password);
    if (problem) throw new BusinessError('auth.password_weak', problem);
  }
  const passwordHash = await hash(input.mode === 'PASSWORD' ? input.password : randomBytes(32).toString('base64url'));
  try {
    const user = await prisma.$transaction(async (tx) => {
      if (await tx.user.findUnique({ where: { memberId: member.id }, select: { id: true } })) throw new BusinessError('member_portal.already_set_up');
      if (input.mode === 'PHONE' && (await tx.user.findUnique({ where: { loginPhoneDigest: digest }, select: { id: true } })))
        throw new BusinessError('member_portal.phone_login_taken');
      if (input.mode === 'PASSWORD' && (await tx.user.findUnique({ where: { username: input.username }, select: { id: true } })))
        throw new BusinessError('member_portal.username_taken');
      const created = await tx.user.create({
        data: {
          // A phone login still has a unique account name (never typed; the phone is the login).
          username: input.mode === 'PASSWORD' ? input.username : `member-${member.id}`,
          passwordHash,
          role: 'MEMBER',
          displayName: member.displayName,
          applicationId: member.applicationId,
          memberId: member.id,
          loginPhoneDigest: input.mode === 'PHONE' ? digest : null,
          passwordChangedAt: new Date(),
        },
      });
      await tx.auditLog.create({
        data: { actorId: created.id, actorRole: 'MEMBER', action: 'member-portal.set_up', target: `member:${member.id}`, detail: { mode: input.mode } },
      });
      return created;
    });
    return { userId: user.id, role: 'MEMBER', applicationId: user.applicationId, serviceProviderId: null, memberId: member.id };
  } catch (err) {
    // Two set-ups at once: the unique indexes decide, with the same answers.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      const target = String(err.meta?.target ?? err.message);
      throw new BusinessError(
        target.includes('loginPhoneDigest')
          ? 'member_portal.phone_login_taken'
          : target.includes('username')
            ? 'member_portal.username_taken'
            : 'member_portal.already_set_up',
      );
    }
    throw err;
  }
}

/** 手机号登录: the member whose login phone this is. */
export async function phoneLogin(services: Services, digest: string): Promise<Actor> {
  const user = await services.prisma.user.findUnique({ where: { loginPhoneDigest: digest } });
  if (!user || user.role !== 'MEMBER') throw new BusinessError('member_portal.login_failed');
  await services.prisma.auditLog.create({
    data: { actorId: user.id, actorRole: 'MEMBER', action: 'auth.login', target: `user:${user.username}`, detail: { method: 'PHONE' } },
  });
  return { userId: user.id, role: 'MEMBER', applicationId: user.applicationId, serviceProviderId: null, memberId: user.memberId };
}

function memberScope(actor: Actor): string {
  if (actor.role !== 'MEMBER' || !actor.memberId) throw new BusinessError('auth.forbidden');
  return actor.memberId;
}

/** 我的信息: the login, the member, bank cards (masked), accounts with the pending-settlement balance, auto-withdrawal. */
export async function myInformation(services: Services, actor: Actor) {
  const memberId = memberScope(actor);
  const { prisma } = services;
  const [user, member, accounts, auto] = await Promise.all([
    prisma.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { username: true, loginPhoneDigest: true } }),
    prisma.member.findUniqueOrThrow({
      where: { id: memberId },
      include: {
        application: { select: { appNo: true, name: true } },
        bankCards: { orderBy: { createdAt: 'asc' } },
        consents: { orderBy: { givenAt: 'asc' }, select: CONSENT_VIEW_FIELDS },
      },
    }),
    prisma.account.findMany({ where: { memberId }, orderBy: { accountNo: 'asc' } }),
    prisma.autoWithdrawal.findUnique({ where: { memberId } }),
  ]);
  const autoCard = auto ? member.bankCards.find((c) => c.id === auto.cardId) : undefined;
  const pending = accounts.find((a) => a.kind === 'PENDING_SETTLEMENT');
  return {
    login: { method: user.loginPhoneDigest ? 'PHONE' : 'PASSWORD', username: user.loginPhoneDigest ? null : user.username },
    member: {
      bizUserId: member.bizUserId,
      name: member.displayName,
      type: member.type,
      idNumber: member.idNumberMasked,
      boundPhone: member.boundPhoneMasked,
      application: member.application,
      realNameVerifiedAt: member.realNameVerifiedAt?.toISOString() ?? null,
    },
    bankCards: member.bankCards.map((c) => ({
      id: c.id,
      cardNumber: c.cardNumberMasked,
      corporate: c.corporate,
      reservedPhone: c.reservedPhoneMasked,
      verifiedAt: c.verifiedAt.toISOString(),
    })),
    pendingSettlementBalance: pending ? yuan(pending.balanceFen) : '0.00',
    accounts: accounts.map((a) => ({
      id: a.id,
      accountNo: a.accountNo,
      kind: a.kind,
      kindLabel: ACCOUNT_KIND_LABELS[a.kind as AccountKind],
      balance: yuan(a.balanceFen),
    })),
    // 提现设置 as the platform set it; without one, withdrawals are the platform's to start.
    autoWithdrawal: auto ? `每日 ${timeOfDay(auto.minuteOfDay)} 提现至 ${autoCard?.cardNumberMasked ?? '已解绑的银行卡'}` : '未设置或平台方发起',
    personalInformation: consentView(member),
  };
}

/** 撤回个人信息处理授权 (PIPL Art. 15) by the member itself (api/members/consent-withdrawal.ts). */
export async function withdrawOwnConsent(deps: AppDeps, actor: Actor, reason: string) {
  await withdrawMemberConsent(deps, actor, memberScope(actor), reason);
}
