/**
 * 应用中心 → 证书管理: the application's SM2 public key (its open-API requests
 * are verified with it), the encryption key for sensitive fields (shown once),
 * and the platform's public key to download. The key pair is generated in the
 * browser; the private key never reaches us.
 */
import { randomBytes } from 'node:crypto';
import { BusinessError } from '../../domain/errors';
import { isValidPublicKey } from '../../lib/business/openapi-signing';
import { SENSITIVE_KEY_OVERLAP_MS, sensitiveKeyId } from '../../lib/business/sensitive-fields';
import { platformKeyPair } from '../../lib/business/platform-keys';
import { auditOf } from '../audit';
import type { Actor, AppDeps } from '../context';
import { applicationScope } from '../context';

export async function getCertificates(deps: AppDeps, actor: Actor) {
  const applicationId = applicationScope(actor);
  const { prisma, crypto } = deps.services;
  const [credential, platform, app] = await Promise.all([
    prisma.applicationCredential.findUnique({ where: { applicationId } }),
    platformKeyPair(prisma, crypto),
    prisma.application.findUniqueOrThrow({ where: { id: applicationId }, select: { appNo: true } }),
  ]);
  return {
    appNo: app.appNo,
    publicKey: credential?.sm2PublicKey ?? null,
    publicKeyUpdatedAt: credential?.publicKeyUpdatedAt?.toISOString() ?? null,
    encryptionKeySet: !!credential?.encryptionKeyEnc,
    encryptionKeyUpdatedAt: credential?.encryptionKeyUpdatedAt?.toISOString() ?? null,
    // Shown while the replaced key is still accepted.
    previousKeyValidUntil:
      credential?.previousKeyValidUntil && credential.previousKeyValidUntil.getTime() > deps.services.clock.now().getTime()
        ? credential.previousKeyValidUntil.toISOString()
        : null,
    platformPublicKey: platform.publicKey,
  };
}

/** 保存: the application public key; from now on only requests signed with its private key pass. */
export async function savePublicKey(deps: AppDeps, actor: Actor, publicKey: string) {
  const applicationId = applicationScope(actor);
  if (!isValidPublicKey(publicKey)) throw new BusinessError('certificate.public_key_invalid');
  const { prisma } = deps.services;
  const now = new Date();
  await prisma.$transaction([
    prisma.applicationCredential.upsert({
      where: { applicationId },
      create: { applicationId, sm2PublicKey: publicKey, publicKeyUpdatedAt: now },
      update: { sm2PublicKey: publicKey, publicKeyUpdatedAt: now },
    }),
    prisma.auditLog.create(auditOf(actor, 'certificate.public_key', `application:${applicationId}`, { publicKey })),
  ]);
  return getCertificates(deps, actor);
}

/** 生成加密秘钥: a new SM4 key (128 bits, hex) for sensitive fields, returned this once and kept encrypted. */
export async function generateEncryptionKey(deps: AppDeps, actor: Actor) {
  const applicationId = applicationScope(actor);
  const { prisma, crypto } = deps.services;
  const key = randomBytes(16).toString('hex');
  const now = deps.services.clock.now();
  const before = await prisma.applicationCredential.findUnique({ where: { applicationId }, select: { encryptionKeyEnc: true } });
  // The key it replaces stays valid for the overlap window, while the platform's servers switch over.
  const previous = before?.encryptionKeyEnc
    ? { previousEncryptionKeyEnc: before.encryptionKeyEnc, previousKeyValidUntil: new Date(now.getTime() + SENSITIVE_KEY_OVERLAP_MS) }
    : {};
  await prisma.$transaction([
    prisma.applicationCredential.upsert({
      where: { applicationId },
      create: { applicationId, encryptionKeyEnc: crypto.encrypt(key), encryptionKeyUpdatedAt: now },
      update: { encryptionKeyEnc: crypto.encrypt(key), encryptionKeyUpdatedAt: now, ...previous },
    }),
    prisma.auditLog.create(auditOf(actor, 'certificate.encryption_key', `application:${applicationId}`)),
  ]);
  return {
    encryptionKey: key,
    keyId: sensitiveKeyId(key),
    updatedAt: now.toISOString(),
    previousKeyValidUntil: 'previousKeyValidUntil' in previous ? previous.previousKeyValidUntil!.toISOString() : null,
  };
}

export async function platformPublicKey(deps: AppDeps) {
  return (await platformKeyPair(deps.services.prisma, deps.services.crypto)).publicKey;
}
