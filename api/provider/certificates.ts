/**
 * 服务商密钥 (seed 000 §2.2.2): the provider's keys for calling the open API for its applications in
 * service-provider mode (`X-YST-Provider`), kept like an application's (api/certificates.ts); usable
 * once headquarters operations opened provider-identity integration (seed 003 §5.3.2).
 */
import { type CredentialOwner, certificatesOf, generateOwnEncryptionKey, saveOwnPublicKey } from '../certificates';
import type { Actor, AppDeps } from '../context';
import { providerScope } from './service';

const ownerOf = (actor: Actor): CredentialOwner => ({ kind: 'provider', id: providerScope(actor) });

export async function getProviderCertificates(deps: AppDeps, actor: Actor) {
  const owner = ownerOf(actor);
  const credential = await deps.services.prisma.serviceProviderCredential.findUnique({
    where: { serviceProviderId: owner.id },
    select: { openApiEnabledAt: true },
  });
  return {
    // What the provider sends as X-YST-Provider.
    providerId: owner.id,
    openApiEnabledAt: credential?.openApiEnabledAt?.toISOString() ?? null,
    ...(await certificatesOf(deps, owner)),
  };
}

export async function saveProviderPublicKey(deps: AppDeps, actor: Actor, publicKey: string) {
  await saveOwnPublicKey(deps, actor, ownerOf(actor), publicKey);
  return getProviderCertificates(deps, actor);
}

export async function generateProviderEncryptionKey(deps: AppDeps, actor: Actor) {
  return generateOwnEncryptionKey(deps, actor, ownerOf(actor));
}
