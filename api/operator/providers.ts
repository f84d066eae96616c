/**
 * 服务商对接配置 (seed 003 §5.3.2: "服务商应用证书需要总部运营配置"): headquarters operations see each
 * service provider, whether it saved its 服务商密钥, and open (or close) its service-provider mode —
 * until then, requests it signs are refused (`openapi.provider_not_enabled`). Audited.
 */
import { BusinessError } from '../../domain/errors';
import { auditOf } from '../audit';
import type { Actor, AppDeps } from '../context';

export async function listProviders(deps: AppDeps) {
  const providers = await deps.services.prisma.serviceProvider.findMany({
    orderBy: { createdAt: 'asc' },
    include: { credential: true, _count: { select: { applications: true } } },
  });
  return {
    items: providers.map((p) => ({
      id: p.id,
      name: p.name,
      applications: p._count.applications,
      publicKeySet: !!p.credential?.sm2PublicKey,
      encryptionKeySet: !!p.credential?.encryptionKeyEnc,
      openApiEnabledAt: p.credential?.openApiEnabledAt?.toISOString() ?? null,
    })),
  };
}

export async function setProviderOpenApi(deps: AppDeps, actor: Actor, providerId: string, enabled: boolean) {
  const { prisma, clock } = deps.services;
  const provider = await prisma.serviceProvider.findUnique({ where: { id: providerId } });
  if (!provider) throw new BusinessError('provider.not_found');
  const openApiEnabledAt = enabled ? clock.now() : null;
  await prisma.$transaction([
    prisma.serviceProviderCredential.upsert({
      where: { serviceProviderId: providerId },
      create: { serviceProviderId: providerId, openApiEnabledAt },
      update: { openApiEnabledAt },
    }),
    prisma.auditLog.create(auditOf(actor, enabled ? 'provider.open_api.enable' : 'provider.open_api.disable', `service-provider:${providerId}`)),
  ]);
  return (await listProviders(deps)).items.find((p) => p.id === providerId)!;
}
