/**
 * 人员管理 (seed 000 §1.4.6): headquarters operators create staff users (an initial password goes to
 * the person's phone by SMS, changed at first login), change their role, disable them (every session
 * ends at once, sign-in refused) and enable them again, and reset their password. Every change is audited.
 */
import { hash } from '@node-rs/argon2';
import type { User } from '@prisma/client';
import { BusinessError } from '../../domain/errors';
import { maskPhone } from '../../domain/masking';
import { randomInitialPassword } from '../../lib/business/initial-passwords';
import { auditOf } from '../audit';
import { endOtherSessions, liftLoginLock } from '../auth/service';
import type { Actor, AppDeps } from '../context';
import { type CreateStaffInput, STAFF_ROLES, STAFF_ROLE_LABELS } from './schemas';

type StaffRole = (typeof STAFF_ROLES)[number];
const isStaff = (u: Pick<User, 'role'>): u is User & { role: StaffRole } => (STAFF_ROLES as readonly string[]).includes(u.role);

function viewOf(u: User & { branch?: { id: string; name: string } | null }) {
  return {
    branch: u.branch ? { id: u.branch.id, name: u.branch.name } : null,
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    roleLabel: STAFF_ROLE_LABELS[u.role as StaffRole],
    phone: u.phoneMasked,
    enabled: u.disabledAt === null,
    disabledAt: u.disabledAt?.toISOString() ?? null,
    disabledReason: u.disabledReason,
    mustChangePassword: u.mustChangePassword,
    createdAt: u.createdAt.toISOString(),
  };
}

async function staffUser(deps: AppDeps, id: string) {
  const user = await deps.services.prisma.user.findUnique({ where: { id }, include: { branch: true } });
  if (!user || !isStaff(user)) throw new BusinessError('staff.not_found');
  return user;
}

/** Nobody disables, or takes the operator role from, the last operator who can still sign in. */
async function keepsAnOperator(deps: AppDeps, user: User) {
  if (user.role !== 'OPERATOR') return;
  const others = await deps.services.prisma.user.count({ where: { role: 'OPERATOR', disabledAt: null, id: { not: user.id } } });
  if (others === 0) throw new BusinessError('staff.last_operator');
}

function sendInitialPassword(deps: AppDeps, user: User, phone: string, password: string, why: 'created' | 'reset') {
  const now = deps.services.clock.now();
  return deps.services.outbox.sendOnce({
    key: `staff-password:${why}:${user.id}:${now.getTime()}`,
    phone,
    template: 'STAFF_INITIAL_PASSWORD',
    body:
      why === 'created'
        ? `【云商通】${user.displayName}，您的开户平台账号 ${user.username} 已开通，初始密码：${password}，请登录后立即修改。`
        : `【云商通】${user.displayName}，您的开户平台账号 ${user.username} 的密码已由运营人员重置，初始密码：${password}，请登录后立即修改。`,
  });
}

export async function listStaff(deps: AppDeps) {
  const users = await deps.services.prisma.user.findMany({
    where: { role: { in: [...STAFF_ROLES] } },
    include: { branch: true },
    orderBy: [{ role: 'asc' }, { username: 'asc' }],
  });
  return { items: users.map(viewOf) };
}

export async function createStaff(deps: AppDeps, actor: Actor, input: CreateStaffInput) {
  const { prisma, crypto } = deps.services;
  const password = randomInitialPassword();
  if (input.branchId && !(await prisma.branch.findUnique({ where: { id: input.branchId } }))) throw new BusinessError('branch.not_found');
  let user: User;
  try {
    [user] = await prisma.$transaction([
      prisma.user.create({
        data: {
          username: input.username,
          displayName: input.displayName,
          role: input.role,
          passwordHash: await hash(password),
          mustChangePassword: true,
          phoneEnc: crypto.encrypt(input.phone),
          phoneMasked: maskPhone(input.phone),
          branchId: input.branchId ?? null,
        },
        include: { branch: true },
      }),
      prisma.auditLog.create(auditOf(actor, 'staff.create', `user:${input.username}`, { role: input.role, branchId: input.branchId ?? null })),
    ]);
  } catch (err) {
    if ((err as { code?: string }).code === 'P2002') throw new BusinessError('staff.duplicate', `登录名 ${input.username} 已存在`);
    throw err;
  }
  await sendInitialPassword(deps, user, input.phone, password, 'created');
  return { staff: viewOf(user), sentTo: user.phoneMasked };
}

/** A new role: the person signs in again (a session carries the role it began with). */
export async function changeStaffRole(deps: AppDeps, actor: Actor, id: string, role: StaffRole) {
  if (id === actor.userId) throw new BusinessError('staff.self');
  const user = await staffUser(deps, id);
  if (user.role === role) return { staff: viewOf(user) };
  await keepsAnOperator(deps, user);
  const { prisma } = deps.services;
  const [updated] = await prisma.$transaction([
    prisma.user.update({ where: { id }, data: { role }, include: { branch: true } }),
    prisma.auditLog.create(auditOf(actor, 'staff.role', `user:${user.username}`, { from: user.role, to: role })),
  ]);
  await endOtherSessions(prisma, id, null);
  return { staff: viewOf(updated) };
}

/** 停用: sign-in refused from now on, and every session of the person ends at once. */
export async function disableStaff(deps: AppDeps, actor: Actor, id: string, reason: string) {
  if (id === actor.userId) throw new BusinessError('staff.self');
  const user = await staffUser(deps, id);
  if (user.disabledAt) return { staff: viewOf(user) };
  await keepsAnOperator(deps, user);
  const { prisma } = deps.services;
  const [updated] = await prisma.$transaction([
    prisma.user.update({ where: { id }, data: { disabledAt: deps.services.clock.now(), disabledReason: reason }, include: { branch: true } }),
    prisma.auditLog.create(auditOf(actor, 'staff.disable', `user:${user.username}`, { reason })),
  ]);
  await endOtherSessions(prisma, id, null);
  return { staff: viewOf(updated) };
}

export async function enableStaff(deps: AppDeps, actor: Actor, id: string) {
  const user = await staffUser(deps, id);
  if (!user.disabledAt) return { staff: viewOf(user) };
  const { prisma } = deps.services;
  const [updated] = await prisma.$transaction([
    prisma.user.update({ where: { id }, data: { disabledAt: null, disabledReason: null }, include: { branch: true } }),
    prisma.auditLog.create(auditOf(actor, 'staff.enable', `user:${user.username}`)),
  ]);
  return { staff: viewOf(updated) };
}

/** 重置密码: a new initial password to the person's phone; sessions end, the login lock is lifted. */
export async function resetStaffPassword(deps: AppDeps, actor: Actor, id: string) {
  const user = await staffUser(deps, id);
  if (!user.phoneEnc) throw new BusinessError('staff.no_phone');
  const { prisma, crypto } = deps.services;
  const password = randomInitialPassword();
  await prisma.$transaction([
    prisma.passwordHistory.create({ data: { userId: user.id, passwordHash: user.passwordHash } }),
    prisma.user.update({
      where: { id },
      data: { passwordHash: await hash(password), mustChangePassword: true, failedLogins: 0, lockedUntil: null, passwordChangedAt: deps.services.clock.now() },
    }),
    prisma.auditLog.create(auditOf(actor, 'staff.password_reset', `user:${user.username}`)),
  ]);
  await endOtherSessions(prisma, id, null);
  await liftLoginLock(prisma, user.username);
  await sendInitialPassword(deps, user, crypto.decrypt(user.phoneEnc), password, 'reset');
  return { staff: viewOf(await staffUser(deps, id)), sentTo: user.phoneMasked };
}

/** A person moves to a branch (or to headquarters): it signs in again (a session carries the branch it began with). */
export async function changeStaffBranch(deps: AppDeps, actor: Actor, id: string, branchId: string | null) {
  if (id === actor.userId) throw new BusinessError('staff.self');
  const user = await staffUser(deps, id);
  const { prisma } = deps.services;
  if (branchId && !(await prisma.branch.findUnique({ where: { id: branchId } }))) throw new BusinessError('branch.not_found');
  const [updated] = await prisma.$transaction([
    prisma.user.update({ where: { id }, data: { branchId }, include: { branch: true } }),
    prisma.auditLog.create(auditOf(actor, 'staff.branch', `user:${user.username}`, { from: user.branchId, to: branchId })),
  ]);
  await endOtherSessions(prisma, id, null);
  return { staff: viewOf(updated) };
}

/** 分公司: each with how many applications and staff it has. */
export async function listBranches(deps: AppDeps) {
  const branches = await deps.services.prisma.branch.findMany({
    orderBy: { code: 'asc' },
    include: { _count: { select: { applications: true, users: true } } },
  });
  return { items: branches.map((b) => ({ id: b.id, code: b.code, name: b.name, applications: b._count.applications, staff: b._count.users })) };
}

export async function createBranch(deps: AppDeps, actor: Actor, input: { code: string; name: string }) {
  const { prisma } = deps.services;
  try {
    const [branch] = await prisma.$transaction([
      prisma.branch.create({ data: input }),
      prisma.auditLog.create(auditOf(actor, 'branch.create', `branch:${input.code}`, { name: input.name })),
    ]);
    return { id: branch.id, code: branch.code, name: branch.name, applications: 0, staff: 0 };
  } catch (err) {
    if ((err as { code?: string }).code === 'P2002') throw new BusinessError('branch.duplicate');
    throw err;
  }
}

/**
 * 调整应用归属: the application (and with it its open review items, migrations and customer record,
 * whose branch is read from the application) is served by another branch from now on.
 */
export async function moveApplication(deps: AppDeps, actor: Actor, appNo: string, branchId: string, reason: string) {
  const { prisma } = deps.services;
  const app = await prisma.application.findUnique({ where: { appNo } });
  if (!app) throw new BusinessError('application.not_found');
  const branch = await prisma.branch.findUnique({ where: { id: branchId } });
  if (!branch) throw new BusinessError('branch.not_found');
  if (app.branchId !== branchId) {
    await prisma.$transaction([
      prisma.application.update({ where: { id: app.id }, data: { branchId } }),
      prisma.auditLog.create(auditOf(actor, 'application.branch', `application:${app.appNo}`, { from: app.branchId, to: branchId, reason })),
    ]);
  }
  const openItems = await prisma.reviewItem.count({ where: { applicationId: app.id, status: 'PENDING' } });
  return { appNo: app.appNo, branch: { id: branch.id, name: branch.name }, openReviewItems: openItems };
}
