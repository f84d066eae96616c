/**
 * The service provider's account management (服务商 → 账户管理): its
 * applications' login accounts, and 重置密码 for one of them — a new random
 * initial password goes by SMS to the application's registered phone (the
 * legal representative's), never to the screen, and must be changed at the
 * next login. Audited.
 */
import { hash } from '@node-rs/argon2';
import { BusinessError } from '../../domain/errors';
import { randomInitialPassword } from '../../lib/initial-passwords';
import { endOtherSessions } from '../auth/service';
import type { Actor, AppDeps } from '../context';

function providerScope(actor: Actor): string {
  if (actor.role !== 'SERVICE_PROVIDER' || !actor.serviceProviderId) throw new BusinessError('auth.forbidden');
  return actor.serviceProviderId;
}

export async function listProviderApplications(deps: AppDeps, actor: Actor) {
  const serviceProviderId = providerScope(actor);
  const apps = await deps.services.prisma.application.findMany({
    where: { serviceProviderId },
    orderBy: { appNo: 'asc' },
    include: { users: { where: { role: 'APPLICATION' }, select: { id: true, username: true, phoneMasked: true, mustChangePassword: true, lockedUntil: true, passwordChangedAt: true } } },
  });
  const now = Date.now();
  return {
    items: apps.map((a) => ({
      id: a.id,
      appNo: a.appNo,
      name: a.name,
      fundMode: a.fundMode,
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
  const now = new Date();
  await prisma.$transaction([
    prisma.passwordHistory.create({ data: { userId: user.id, passwordHash: user.passwordHash } }),
    prisma.user.update({ where: { id: user.id }, data: { passwordHash: await hash(password), mustChangePassword: true, failedLogins: 0, lockedUntil: null, passwordChangedAt: now } }),
    prisma.auditLog.create({ data: { actorId: actor.userId, actorRole: actor.role, action: 'auth.password_reset_by_provider', target: `user:${user.username}` } }),
  ]);
  await endOtherSessions(prisma, user.id, null);
  await outbox.sendOnce({
    key: `password-reset-by-provider:${user.id}:${now.getTime()}`,
    phone: crypto.decrypt(user.phoneEnc),
    template: 'PASSWORD_RESET_BY_PROVIDER',
    body: `【云商通】${app.name}（应用编号${app.appNo}）的登录密码已由服务商重置，初始密码：${password}，请登录后立即修改。`,
  });
  return { appNo: app.appNo, sentTo: user.phoneMasked };
}
