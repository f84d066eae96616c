/**
 * Login and the account's own password (SPEC "Login and accounts"): argon2
 * hashes, lock-out after repeated failures, a forced change of an initial
 * password, forgot-password by SMS code to the account's registered phone
 * without revealing whether an account exists. Every credential event is audited.
 */
import { randomUUID } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { PrismaClient, User } from '@prisma/client';
import { BusinessError } from '../../domain/errors';
import { LOCK_MS, MAX_FAILED_LOGINS, PASSWORD_HISTORY, passwordProblem } from '../../domain/passwords';
import { clearCount, countHit, currentCount, setWindow } from '../../lib/adapters/counters';
import type { Services } from '../../lib/services';
import type { Actor } from '../context';
import type { LoginInput } from './schemas';
import { isExpectedSmsRefusal } from '../../lib/business/sms-challenges';

// Verifying against a fixed hash when the user is unknown keeps both answers equally slow.
let decoyHash: Promise<string> | undefined;

async function audit(prisma: PrismaClient, user: Pick<User, 'id' | 'role' | 'username'>, action: string, detail?: Record<string, string | number>) {
  await prisma.auditLog.create({ data: { actorId: user.id, actorRole: user.role, action, target: `user:${user.username}`, ...(detail ? { detail } : {}) } });
}

function formatClock(at: Date): string {
  return at.toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });
}

/** The lock-out state of an account name: kept for every name tried, existing or not, so the answers never tell which exist. */
const lockKey = (username: string) => `login-lock:${username.trim().toLowerCase()}`;
const failuresKey = (username: string) => `login-failures:${username.trim().toLowerCase()}`;

function lockedError(until: Date): BusinessError {
  return new BusinessError('auth.locked', `登录失败次数过多，账号已锁定至${formatClock(until)}，届时可再试，或通过“忘记密码”重置后立即登录`);
}

/** Lifts the lock of an account name (a password reset, or a new initial password). */
export async function liftLoginLock(prisma: PrismaClient, username: string): Promise<void> {
  await clearCount(prisma, lockKey(username), failuresKey(username));
}

export async function login(prisma: PrismaClient, input: LoginInput, now = new Date()): Promise<{ actor: Actor; mustChangePassword: boolean }> {
  const user = await prisma.user.findUnique({ where: { username: input.username } });
  decoyHash ??= hash('decoy-password-for-timing');
  const ok = await verify(user?.passwordHash ?? (await decoyHash), input.password).catch(() => false);
  const lock = await currentCount(prisma, lockKey(input.username), now);
  if (lock) throw lockedError(lock.resetAt);
  if (!user || !ok) {
    // One atomic count per name: parallel guesses cannot lose a failure.
    const { hits } = await countHit(prisma, failuresKey(input.username), LOCK_MS, now);
    const locking = hits >= MAX_FAILED_LOGINS;
    const until = new Date(now.getTime() + LOCK_MS);
    // The failures count is not cleared here: a guess already past the lock check would count from 1
    // again and get a plain 401. Its window began at the first failure, so it ends before the lock does.
    if (locking) await setWindow(prisma, lockKey(input.username), until);
    if (user) {
      await prisma.user.update({ where: { id: user.id }, data: locking ? { failedLogins: 0, lockedUntil: until } : { failedLogins: hits } });
      await audit(prisma, user, locking ? 'auth.locked' : 'auth.login_failed', { failed: hits });
    }
    if (locking) throw lockedError(until);
    throw new BusinessError('auth.invalid_credentials');
  }
  await clearCount(prisma, failuresKey(input.username));
  // Told only to whoever knows the password: a disabled account is not revealed to a guess.
  if (user.disabledAt) {
    await audit(prisma, user, 'auth.login_disabled');
    throw new BusinessError('auth.disabled');
  }
  if (user.failedLogins > 0 || user.lockedUntil) await prisma.user.update({ where: { id: user.id }, data: { failedLogins: 0, lockedUntil: null } });
  await audit(prisma, user, 'auth.login');
  return {
    actor: {
      userId: user.id,
      role: user.role,
      applicationId: user.applicationId,
      serviceProviderId: user.serviceProviderId,
      memberId: user.memberId,
      branchId: user.branchId,
    },
    mustChangePassword: user.mustChangePassword,
  };
}

/** A new password that follows the rules and repeats none of the last five (the current one included). */
async function checkNewPassword(prisma: PrismaClient, user: User, password: string): Promise<void> {
  const problem = passwordProblem(password);
  if (problem) throw new BusinessError('auth.password_weak', problem);
  const earlier = await prisma.passwordHistory.findMany({ where: { userId: user.id }, orderBy: { createdAt: 'desc' }, take: PASSWORD_HISTORY - 1 });
  for (const h of [user.passwordHash, ...earlier.map((e) => e.passwordHash)]) {
    if (await verify(h, password).catch(() => false)) throw new BusinessError('auth.password_reused');
  }
}

/** Sets a password: the old one goes to the history (keeping five), lock and forced change are lifted. */
async function setPassword(prisma: PrismaClient, user: User, password: string, now: Date): Promise<void> {
  const passwordHash = await hash(password);
  await prisma.$transaction(async (tx) => {
    await tx.passwordHistory.create({ data: { userId: user.id, passwordHash: user.passwordHash } });
    const keep = await tx.passwordHistory.findMany({
      where: { userId: user.id },
      orderBy: { createdAt: 'desc' },
      skip: PASSWORD_HISTORY - 1,
      select: { id: true },
    });
    if (keep.length > 0) await tx.passwordHistory.deleteMany({ where: { id: { in: keep.map((k) => k.id) } } });
    await tx.user.update({
      where: { id: user.id },
      data: { passwordHash, mustChangePassword: false, failedLogins: 0, lockedUntil: null, passwordChangedAt: now },
    });
  });
  await liftLoginLock(prisma, user.username);
}

/** 修改密码 (also the forced change at first login). */
export async function changePassword(prisma: PrismaClient, actor: Actor, input: { currentPassword: string; newPassword: string }, now = new Date()) {
  const user = await prisma.user.findUniqueOrThrow({ where: { id: actor.userId } });
  if (!(await verify(user.passwordHash, input.currentPassword).catch(() => false))) throw new BusinessError('auth.password_wrong');
  await checkNewPassword(prisma, user, input.newPassword);
  await setPassword(prisma, user, input.newPassword, now);
  await audit(prisma, user, 'auth.password_changed');
}

/**
 * 忘记密码, step 1: a code goes to the account's registered phone. The answer is
 * the same, and as fast, whether or not the account exists or has a phone: the
 * work happens after the answer.
 */
export function requestPasswordReset(services: Services, username: string, log: (err: unknown) => void): void {
  const { prisma, crypto, challenges } = services;
  void (async () => {
    const user = await prisma.user.findUnique({ where: { username } });
    // A disabled account is enabled (and its password reset) by a headquarters operator, not by SMS.
    if (!user || user.disabledAt) return;
    // Applications and providers: the legal representative's phone; staff: their own; a member's portal login: its bound phone.
    const member =
      user.role === 'MEMBER' && user.memberId ? await prisma.member.findUnique({ where: { id: user.memberId }, select: { boundPhoneEnc: true } }) : null;
    const sealed = user.role === 'MEMBER' ? member?.boundPhoneEnc : user.phoneEnc;
    if (!sealed) return;
    await challenges.issue({
      key: `password-reset:${user.id}:${Date.now()}`,
      scope: `password-reset:${user.id}`,
      purpose: 'PASSWORD_RESET',
      phone: crypto.decrypt(sealed),
    });
    await audit(prisma, user, 'auth.password_reset_code');
  })().catch((err) => {
    // A cooldown is the expected refusal of a repeated request; anything else is worth a log line.
    if (!isExpectedSmsRefusal(err)) log(err);
  });
}

/** 忘记密码, step 2: the code and a new password; the account is unlocked. */
export async function resetPassword(
  prisma: PrismaClient,
  services: Services,
  input: { username: string; code: string; newPassword: string },
  now = new Date(),
): Promise<string> {
  // The rules first: they say nothing about the account.
  const problem = passwordProblem(input.newPassword);
  if (problem) throw new BusinessError('auth.password_weak', problem);
  const user = await prisma.user.findUnique({ where: { username: input.username } });
  if (!user) throw new BusinessError('auth.reset_invalid');
  try {
    // A code resets once: every request is its own consumer. The password history is checked only once
    // the code is right (without it, no oracle of earlier passwords) and before the code is spent: a
    // refused password leaves the code usable for another try.
    await services.challenges.verify({
      scope: `password-reset:${user.id}`,
      purpose: 'PASSWORD_RESET',
      code: input.code,
      consumer: `password-reset:${randomUUID()}`,
      now,
      beforeConsume: () => checkNewPassword(prisma, user, input.newPassword),
    });
  } catch (err) {
    if (err instanceof BusinessError && err.id.startsWith('sms.')) throw new BusinessError('auth.reset_invalid');
    throw err;
  }
  await setPassword(prisma, user, input.newPassword, now);
  await audit(prisma, user, 'auth.password_reset');
  return user.id;
}

/** A new password ends every other sign-in of the user (a stolen session does not outlive it). */
export async function endOtherSessions(prisma: PrismaClient, userId: string, keepSessionId: string | null): Promise<void> {
  await prisma.$executeRaw`DELETE FROM "session" WHERE sess->'actor'->>'userId' = ${userId} AND sid IS DISTINCT FROM ${keepSessionId}`;
}

/** Who is signed in, and — for a service provider that entered an application — the application it acts in. */
export async function currentUser(prisma: PrismaClient, actor: Actor, providerActor?: Actor) {
  const user = await prisma.user.findUniqueOrThrow({
    where: { id: actor.userId },
    include: { application: true, serviceProvider: true },
  });
  const application = providerActor && actor.applicationId ? await prisma.application.findUnique({ where: { id: actor.applicationId } }) : user.application;
  return {
    id: user.id,
    username: user.username,
    role: actor.role,
    actingForProvider: !!providerActor,
    /** False for a member portal login by phone: it has no password to change. */
    hasPassword: !user.loginPhoneDigest,
    displayName: user.displayName,
    mustChangePassword: user.mustChangePassword,
    phone: user.phoneMasked,
    application: application
      ? { id: application.id, appNo: application.appNo, name: application.name, fundMode: application.fundMode, environment: application.environment }
      : null,
    serviceProvider: user.serviceProvider ? { id: user.serviceProvider.id, name: user.serviceProvider.name } : null,
  };
}
