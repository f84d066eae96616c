/**
 * The service provider's account management (服务商 → 账户管理): its
 * applications' login accounts, and 重置密码 for one of them — a new random
 * initial password goes by SMS to the application's registered phone (the
 * legal representative's), never to the screen, and must be changed at the
 * next login. Audited.
 */
import { hash } from '@node-rs/argon2';
import { BusinessError } from '../../domain/errors';
import { randomInitialPassword } from '../../lib/business/initial-passwords';
import { endOtherSessions, liftLoginLock } from '../auth/service';
import { auditOf } from '../audit';
import type { Actor, AppDeps } from '../context';

export function providerScope(actor: Actor): string {
  if (actor.role !== 'SERVICE_PROVIDER' || !actor.serviceProviderId) throw new BusinessError('auth.forbidden');
  return actor.serviceProviderId;
}

export async function listProviderApplications(deps: AppDeps, actor: Actor) {
  const serviceProviderId = providerScope(actor);
  const apps = await deps.services.prisma.application.findMany({
    where: { serviceProviderId },
    orderBy: { appNo: 'asc' },
    include: {
      users: {
        where: { role: 'APPLICATION' },
        select: { id: true, username: true, phoneMasked: true, mustChangePassword: true, lockedUntil: true, passwordChangedAt: true },
      },
    },
  });
  const now = deps.services.clock.now().getTime();
  return {
    items: apps.map((a) => ({
      id: a.id,
      appNo: a.appNo,
      name: a.name,
      fundMode: a.fundMode,
      environment: a.environment,
      accounts: a.users.map((u) => ({
        username: u.username,
        phone: u.phoneMasked,
        mustChangePassword: u.mustChangePassword,
        locked: !!u.lockedUntil && u.lockedUntil.getTime() > now,
        passwordChangedAt: u.passwordChangedAt?.toISOString() ?? null,
      })),
    })),
  };
}

/** 重置密码 of an application's account: a new initial password by SMS; the lock is lifted. */
export async function resetApplicationPassword(deps: AppDeps, actor: Actor, applicationId: string) {
  const serviceProviderId = providerScope(actor);
  const { prisma, crypto, outbox } = deps.services;
  const app = await prisma.application.findFirst({ where: { id: applicationId, serviceProviderId }, include: { users: { where: { role: 'APPLICATION' } } } });
  if (!app) throw new BusinessError('resource.not_found');
  const user = app.users[0];
  if (!user) throw new BusinessError('resource.not_found', '该应用没有登录账号');
  if (!user.phoneEnc) throw new BusinessError('auth.no_phone');
  const password = randomInitialPassword();
  const now = deps.services.clock.now();
  await prisma.$transaction([
    prisma.passwordHistory.create({ data: { userId: user.id, passwordHash: user.passwordHash } }),
    prisma.user.update({
      where: { id: user.id },
      data: { passwordHash: await hash(password), mustChangePassword: true, failedLogins: 0, lockedUntil: null, passwordChangedAt: now },
    }),
    prisma.auditLog.create(auditOf(actor, 'auth.password_reset_by_provider', `user:${user.username}`)),
  ]);
  await endOtherSessions(prisma, user.id, null);
  await liftLoginLock(prisma, user.username);
  await outbox.sendOnce({
    key: `password-reset-by-provider:${user.id}:${now.getTime()}`,
    phone: crypto.decrypt(user.phoneEnc),
    template: 'PASSWORD_RESET_BY_PROVIDER',
    body: `【云商通】${app.name}（应用编号${app.appNo}）的登录密码已由服务商重置，初始密码：${password}，请登录后立即修改。`,
  });
  return { appNo: app.appNo, sentTo: user.phoneMasked };
}

/** 服务商首页: the provider, and per application its state and the products it opened. */
export async function providerHome(deps: AppDeps, actor: Actor) {
  const serviceProviderId = providerScope(actor);
  const { prisma } = deps.services;
  const [provider, apps] = await Promise.all([
    prisma.serviceProvider.findUniqueOrThrow({ where: { id: serviceProviderId } }),
    prisma.application.findMany({ where: { serviceProviderId }, orderBy: { appNo: 'asc' } }),
  ]);
  const ids = apps.map((a) => a.id);
  const [statements, rules, credentials, members] = await Promise.all([
    prisma.statementEnablement.findMany({ where: { applicationId: { in: ids }, status: 'ENABLED' }, select: { applicationId: true } }),
    prisma.splitRule.groupBy({ by: ['applicationId'], where: { applicationId: { in: ids } }, _count: true }),
    prisma.applicationCredential.findMany({ where: { applicationId: { in: ids }, sm2PublicKey: { not: null } }, select: { applicationId: true } }),
    prisma.member.groupBy({ by: ['applicationId'], where: { applicationId: { in: ids } }, _count: true }),
  ]);
  const has = (rows: { applicationId: string }[], id: string) => rows.some((r) => r.applicationId === id);
  return {
    provider: { id: provider.id, name: provider.name },
    applications: apps.map((a) => ({
      id: a.id,
      appNo: a.appNo,
      name: a.name,
      fundMode: a.fundMode,
      environment: a.environment,
      live: !!a.liveAt,
      members: members.find((m) => m.applicationId === a.id)?._count ?? 0,
      products: [
        `云商通二代·${a.fundMode === 'POST_SETTLEMENT' ? '账后结算' : '实时结算'}`,
        ...(a.cashierMerchantNo ? ['收银宝微信支付'] : []),
        ...(has(rules, a.id) ? ['分账'] : []),
        ...(has(statements, a.id) ? ['月对账单'] : []),
        ...(has(credentials, a.id) ? ['开放接口'] : []),
      ],
    })),
  };
}

/** 进入应用: the provider acts inside one of its applications (its menus and data) until it leaves. Audited. */
export async function enterApplication(deps: AppDeps, actor: Actor, applicationId: string): Promise<Actor> {
  const serviceProviderId = providerScope(actor);
  const { prisma } = deps.services;
  const app = await prisma.application.findFirst({ where: { id: applicationId, serviceProviderId } });
  if (!app) throw new BusinessError('resource.not_found');
  await prisma.auditLog.create(auditOf(actor, 'provider.enter_application', `application:${app.id}`, { appNo: app.appNo }));
  return { userId: actor.userId, role: 'APPLICATION', applicationId: app.id, serviceProviderId };
}
