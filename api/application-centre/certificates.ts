/**
 * 应用中心 → 证书管理: the application's keys for the open API (api/certificates.ts): its SM2 public
 * key, the sensitive-field key (shown once), the platform's public key to download.
 */
import { type CredentialOwner, certificatesOf, generateOwnEncryptionKey, saveOwnPublicKey } from '../certificates';
import type { Actor, AppDeps } from '../context';
import { applicationScope } from '../context';

export { platformPublicKey } from '../certificates';

const ownerOf = (actor: Actor): CredentialOwner => ({ kind: 'application', id: applicationScope(actor) });

export async function getCertificates(deps: AppDeps, actor: Actor) {
  const owner = ownerOf(actor);
  const app = await deps.services.prisma.application.findUniqueOrThrow({ where: { id: owner.id }, select: { appNo: true } });
  return { appNo: app.appNo, ...(await certificatesOf(deps, owner)) };
}

export async function savePublicKey(deps: AppDeps, actor: Actor, publicKey: string) {
  await saveOwnPublicKey(deps, actor, ownerOf(actor), publicKey);
  return getCertificates(deps, actor);
}

export async function generateEncryptionKey(deps: AppDeps, actor: Actor) {
  return generateOwnEncryptionKey(deps, actor, ownerOf(actor));
}
