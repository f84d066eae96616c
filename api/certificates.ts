/**
 * The keys a caller of the open API keeps with us — an application's (应用中心 → 证书管理) or a
 * service provider's (服务商密钥, for calls in service-provider mode): its SM2 public key (its
 * requests are verified with it), the sensitive-field key (SM4, shown once, the one it replaces
 * valid for an overlap window), and the platform's public key to check our answers. The key pair is
 * generated in the browser; the private key never reaches us.
 */
import { randomBytes } from 'node:crypto';
import { BusinessError } from '../domain/errors';
import { inTransaction, utc } from '../lib/adapters/db';
import { isValidPublicKey } from '../lib/business/openapi-signing';
import { platformKeyPair } from '../lib/business/platform-keys';
import { SENSITIVE_KEY_OVERLAP_MS, type SensitiveKey, sensitiveKeyId } from '../lib/business/sensitive-fields';
import type { Actor, AppDeps } from './context';

export type CredentialOwner = { kind: 'application'; id: string } | { kind: 'provider'; id: string };

const TABLES = {
  application: { table: '"ApplicationCredential"', key: '"applicationId"', target: 'application' },
  provider: { table: '"ServiceProviderCredential"', key: '"serviceProviderId"', target: 'service-provider' },
} as const;

interface CredentialRow {
  sm2PublicKey: string | null;
  publicKeyUpdatedAt: Date | null;
  encryptionKeyEnc: string | null;
  encryptionKeyUpdatedAt: Date | null;
  previousEncryptionKeyEnc: string | null;
  previousKeyValidUntil: Date | null;
}

export async function readCredential(deps: AppDeps, owner: CredentialOwner): Promise<CredentialRow | null> {
  const t = TABLES[owner.kind];
  const { rows } = await deps.services.sql.query<CredentialRow>(
    `SELECT "sm2PublicKey", "publicKeyUpdatedAt" AT TIME ZONE 'UTC' AS "publicKeyUpdatedAt", "encryptionKeyEnc",
            "encryptionKeyUpdatedAt" AT TIME ZONE 'UTC' AS "encryptionKeyUpdatedAt", "previousEncryptionKeyEnc",
            "previousKeyValidUntil" AT TIME ZONE 'UTC' AS "previousKeyValidUntil"
       FROM ${t.table} WHERE ${t.key} = $1::uuid`,
    [owner.id],
  );
  return rows[0] ?? null;
}

export async function certificatesOf(deps: AppDeps, owner: CredentialOwner) {
  const { prisma, crypto, clock } = deps.services;
  const [c, platform] = await Promise.all([readCredential(deps, owner), platformKeyPair(prisma, crypto)]);
  return {
    publicKey: c?.sm2PublicKey ?? null,
    publicKeyUpdatedAt: c?.publicKeyUpdatedAt?.toISOString() ?? null,
    encryptionKeySet: !!c?.encryptionKeyEnc,
    encryptionKeyUpdatedAt: c?.encryptionKeyUpdatedAt?.toISOString() ?? null,
    // Shown while the replaced key is still accepted.
    previousKeyValidUntil: c?.previousKeyValidUntil && c.previousKeyValidUntil.getTime() > clock.now().getTime() ? c.previousKeyValidUntil.toISOString() : null,
    platformPublicKey: platform.publicKey,
  };
}

async function writeAudited(
  deps: AppDeps,
  actor: Actor,
  owner: CredentialOwner,
  columns: Record<string, string | Date | null>,
  action: string,
  detail?: object,
) {
  const t = TABLES[owner.kind];
  const names = Object.keys(columns);
  const values = names.map((n) => (columns[n] instanceof Date ? utc(columns[n] as Date) : columns[n]));
  const cast = (n: string, i: number) => (columns[n] instanceof Date ? `($${i + 2}::timestamptz AT TIME ZONE 'UTC')` : `$${i + 2}`);
  await inTransaction(deps.services.sql, async (db) => {
    await db.query(
      `INSERT INTO ${t.table} (${t.key}, ${names.map((n) => `"${n}"`).join(', ')}) VALUES ($1::uuid, ${names.map(cast).join(', ')})
       ON CONFLICT (${t.key}) DO UPDATE SET ${names.map((n) => `"${n}" = EXCLUDED."${n}"`).join(', ')}`,
      [owner.id, ...values],
    );
    await db.query(`INSERT INTO "AuditLog" (id, "actorId", "actorRole", action, target, detail) VALUES (gen_random_uuid(), $1::uuid, $2, $3, $4, $5::jsonb)`, [
      actor.userId,
      actor.role,
      action,
      `${t.target}:${owner.id}`,
      detail ? JSON.stringify(detail) : null,
    ]);
  });
}

/** 保存: the public key; from now on only requests signed with its private key pass. */
export async function saveOwnPublicKey(deps: AppDeps, actor: Actor, owner: CredentialOwner, publicKey: string) {
  if (!isValidPublicKey(publicKey)) throw new BusinessError('certificate.public_key_invalid');
  await writeAudited(deps, actor, owner, { sm2PublicKey: publicKey, publicKeyUpdatedAt: deps.services.clock.now() }, 'certificate.public_key', { publicKey });
}

/** 生成加密秘钥: a new SM4 key (128 bits, hex), returned this once and kept encrypted; the one it replaces stays valid for the overlap window. */
export async function generateOwnEncryptionKey(deps: AppDeps, actor: Actor, owner: CredentialOwner) {
  const { crypto, clock } = deps.services;
  const key = randomBytes(16).toString('hex');
  const now = clock.now();
  const before = await readCredential(deps, owner);
  // While the platform's servers switch over one by one, the replaced key still opens fields.
  const previousKeyValidUntil = before?.encryptionKeyEnc ? new Date(now.getTime() + SENSITIVE_KEY_OVERLAP_MS) : null;
  await writeAudited(
    deps,
    actor,
    owner,
    {
      encryptionKeyEnc: crypto.encrypt(key),
      encryptionKeyUpdatedAt: now,
      ...(before?.encryptionKeyEnc ? { previousEncryptionKeyEnc: before.encryptionKeyEnc, previousKeyValidUntil } : {}),
    },
    'certificate.encryption_key',
  );
  return { encryptionKey: key, keyId: sensitiveKeyId(key), updatedAt: now.toISOString(), previousKeyValidUntil: previousKeyValidUntil?.toISOString() ?? null };
}

/** The sensitive-field keys in force: the current one, and the one it replaced while its window lasts. */
export async function sensitiveKeysOf(deps: AppDeps, owner: CredentialOwner): Promise<SensitiveKey[]> {
  const c = await readCredential(deps, owner);
  if (!c?.encryptionKeyEnc) throw new BusinessError('openapi.no_encryption_key');
  const keys = [{ keyHex: deps.services.crypto.decrypt(c.encryptionKeyEnc) }];
  if (c.previousEncryptionKeyEnc && c.previousKeyValidUntil && c.previousKeyValidUntil.getTime() > deps.services.clock.now().getTime()) {
    keys.push({ keyHex: deps.services.crypto.decrypt(c.previousEncryptionKeyEnc) });
  }
  return keys;
}

export async function platformPublicKey(deps: AppDeps) {
  return (await platformKeyPair(deps.services.prisma, deps.services.crypto)).publicKey;
}
