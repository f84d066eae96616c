/**
 * An individual's name as it is stored (PIPL: a name is personal information): the masked form in
 * `displayName` (lists, search text, SMS and mails show it), the name itself only encrypted, and an
 * HMAC digest of the normalised name so 会员查询 can still find a member by its full name.
 */
import type { Prisma } from '@prisma/client';
import { normalisePersonName } from '../../domain/identity';
import { maskPersonName } from '../../domain/masking';
import type { FieldCrypto } from '../adapters/field-crypto';

export function nameDigestOf(crypto: FieldCrypto, name: string): string {
  return crypto.digest('person-name', normalisePersonName(name));
}

/** The Member columns of an individual's name. */
export function sealedPersonName(crypto: FieldCrypto, name: string) {
  const normalised = normalisePersonName(name);
  return { displayName: maskPersonName(normalised), personNameEnc: crypto.encrypt(normalised), nameDigest: nameDigestOf(crypto, normalised) };
}

/** A keyword of the member searches: member number, masked or enterprise name, or an individual's full name (by digest). */
export function memberKeywordWhere(crypto: FieldCrypto, keyword: string): Prisma.MemberWhereInput {
  return {
    OR: [
      { bizUserId: { contains: keyword } },
      { displayName: { contains: keyword } },
      { companyName: { contains: keyword } },
      { nameDigest: nameDigestOf(crypto, keyword) },
    ],
  };
}
