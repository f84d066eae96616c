import { hash, verify } from '@node-rs/argon2';
import type { PrismaClient } from '@prisma/client';
import { BusinessError } from '../../domain/errors';
import type { Actor } from '../context';
import type { LoginInput } from './schemas';

// Verifying against a fixed hash when the user is unknown keeps both answers equally slow.
let decoyHash: Promise<string> | undefined;

export async function login(prisma: PrismaClient, input: LoginInput): Promise<Actor> {
  const user = await prisma.user.findUnique({ where: { username: input.username } });
  decoyHash ??= hash('decoy-password-for-timing');
  const ok = await verify(user?.passwordHash ?? (await decoyHash), input.password).catch(() => false);
  if (!user || !ok) throw new BusinessError('auth.invalid_credentials');
  await prisma.auditLog.create({
    data: { actorId: user.id, actorRole: user.role, action: 'auth.login', target: `user:${user.username}` },
  });
  return {
    userId: user.id,
    role: user.role,
    applicationId: user.applicationId,
    serviceProviderId: user.serviceProviderId,
  };
}

export async function currentUser(prisma: PrismaClient, actor: Actor) {
  const user = await prisma.user.findUniqueOrThrow({
    where: { id: actor.userId },
    include: { application: true, serviceProvider: true },
  });
  return {
    id: user.id,
    username: user.username,
    role: user.role,
    displayName: user.displayName,
    mustChangePassword: user.mustChangePassword,
    application: user.application
      ? { id: user.application.id, appNo: user.application.appNo, name: user.application.name, fundMode: user.application.fundMode }
      : null,
    serviceProvider: user.serviceProvider ? { id: user.serviceProvider.id, name: user.serviceProvider.name } : null,
  };
}
