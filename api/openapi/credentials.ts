/** What the open API needs of 证书管理 beyond the signature: the sensitive-field keys in force, and staged uploads. */
import { BusinessError } from '../../domain/errors';
import type { SensitiveKey } from '../../lib/business/sensitive-fields';
import type { AppDeps } from '../context';

/** How long an uploaded photo waits for the proxy onboarding request that names it. */
export const STAGED_UPLOAD_MS = 24 * 3600 * 1000;

/** The application's current sensitive-field key, and the one it replaced while its overlap window lasts. */
export async function sensitiveKeysOf(deps: AppDeps, applicationId: string): Promise<SensitiveKey[]> {
  const { prisma, crypto, clock } = deps.services;
  const c = await prisma.applicationCredential.findUnique({ where: { applicationId } });
  if (!c?.encryptionKeyEnc) throw new BusinessError('openapi.no_encryption_key');
  const keys = [{ keyHex: crypto.decrypt(c.encryptionKeyEnc) }];
  if (c.previousEncryptionKeyEnc && c.previousKeyValidUntil && c.previousKeyValidUntil.getTime() > clock.now().getTime()) {
    keys.push({ keyHex: crypto.decrypt(c.previousEncryptionKeyEnc) });
  }
  return keys;
}
