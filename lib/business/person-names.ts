/**
 * An individual's name as it is stored (PIPL: a name is personal information): the masked form in
 * `displayName` (lists, search text, SMS and mails show it), the name itself only encrypted, and an
 * HMAC digest of the normalised name so 会员查询 can still find a member by its full name.
 */
import type { Prisma } from '@prisma/client';
import { maskIdNumber } from '../../domain/masking';
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

/** The digest of an ID number as stored and searched: the check letter upper-case, nothing around it. */
export function idNumberDigestOf(crypto: FieldCrypto, idNumber: string): string {
  return crypto.digest('id-number', idNumber.trim().toUpperCase());
}

/** The Member columns of an ID number (an individual's, an enterprise's legal representative's). */
export function sealedIdNumber(crypto: FieldCrypto, idNumber: string) {
  return { idNumberEnc: crypto.encrypt(idNumber), idNumberMasked: maskIdNumber(idNumber), idNumberDigest: idNumberDigestOf(crypto, idNumber) };
}

/**
 * A keyword of the member searches: member number, masked or enterprise name, an individual's full
 * name, the bound phone or the ID number — the last three matched on their digests, never decrypted.
 */
export function memberKeywordWhere(crypto: FieldCrypto, keyword: string): Prisma.MemberWhereInput {
  return {
    OR: [
      { bizUserId: { contains: keyword } },
      { displayName: { contains: keyword } },
      { companyName: { contains: keyword } },
      { nameDigest: nameDigestOf(crypto, keyword) },
      ...(/^1[3-9]\d{9}$/.test(keyword) ? [{ boundPhoneDigest: crypto.digest('phone', keyword) }] : []),
      ...(/^\d{17}[\dXx]$/.test(keyword) ? [{ idNumberDigest: idNumberDigestOf(crypto, keyword) }] : []),
    ],
  };
}
