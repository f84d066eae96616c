/**
 * 收单商户管理 (post-settlement applications): the merchants and the state of their
 * 客户委托结算授权函. Sending the signing links is the signing-batch flow (api/signing-batch).
 * Every query is scoped to the caller's application.
 */
import type { Prisma } from '@prisma/client';
import { memberRow } from '../members/service';
import type { Actor, AppDeps } from '../context';
import { applicationScope } from '../context';
import { pageOf, pageWindow } from '../pagination';
import { effectiveStatus } from '../signing-batch/service';
import type { ListMerchantsInput, MerchantFilter } from './schemas';
import { memberKeywordWhere } from '../../lib/business/person-names';
import type { FieldCrypto } from '../../lib/adapters/field-crypto';

export function merchantWhere(crypto: FieldCrypto, applicationId: string, f: MerchantFilter): Prisma.MemberWhereInput {
  return {
    applicationId,
    ...(f.type ? { type: f.type } : {}),
    ...(f.status ? { status: f.status } : {}),
    ...(f.phoneBound === 'true' ? { boundPhoneDigest: { not: null } } : f.phoneBound === 'false' ? { boundPhoneDigest: null } : {}),
    ...(f.keyword ? memberKeywordWhere(crypto, f.keyword) : {}),
  };
}

export async function listMerchants(deps: AppDeps, actor: Actor, input: ListMerchantsInput) {
  const { prisma } = deps.services;
  const where = merchantWhere(deps.services.crypto, applicationScope(actor), input);
  const [total, rows] = await Promise.all([
    prisma.member.count({ where }),
    prisma.member.findMany({
      where,
      orderBy: { createdAt: 'desc' },
      ...pageWindow(input),
      include: {
        signingLinks: { where: { purpose: 'SETTLEMENT_AUTHORISATION' }, orderBy: { createdAt: 'desc' }, take: 1 },
        agreements: { where: { kind: 'SETTLEMENT_AUTHORISATION', status: 'VALID' }, take: 1, select: { signedAt: true } },
      },
    }),
  ]);
  return pageOf(input, total, rows, (m) => ({
    ...memberRow(m),
    authorisationSignedAt: m.agreements[0]?.signedAt.toISOString() ?? null,
    latestLink: m.signingLinks[0]
      ? {
          status: effectiveStatus(deps, m.signingLinks[0]),
          sentAt: m.signingLinks[0].sentAt?.toISOString() ?? null,
          expiresAt: m.signingLinks[0].expiresAt.toISOString(),
        }
      : null,
  }));
}
