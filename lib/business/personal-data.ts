/**
 * The one-time conversion of personal data written before names were stored masked and encrypted:
 * an individual's `displayName` held the name in plain text (now the masked name, with the name
 * encrypted and its digest for search), and `Agreement.signerName` held the signer's name (now
 * `signerNameEnc`); members stored before ID numbers had a digest get theirs (each row decrypted
 * once). Idempotent and batched; the worker runs it at every start until nothing is left.
 */
import type { PrismaClient } from '@prisma/client';
import type { FieldCrypto } from '../adapters/field-crypto';
import { idNumberDigestOf, sealedPersonName } from './person-names';

/** `applicationId` limits the conversion to one application (tests share one database). */
export async function backfillPersonalData(
  prisma: PrismaClient,
  crypto: FieldCrypto,
  opts: { applicationId?: string; batch?: number } = {},
): Promise<{ members: number; agreements: number; idNumbers: number }> {
  const batch = opts.batch ?? 500;
  const scope = opts.applicationId ? { applicationId: opts.applicationId } : {};
  let members = 0;
  for (;;) {
    const rows = await prisma.member.findMany({
      where: { ...scope, type: 'INDIVIDUAL', nameDigest: null },
      select: { id: true, displayName: true, personNameEnc: true },
      take: batch,
    });
    if (rows.length === 0) break;
    for (const m of rows) {
      const name = m.personNameEnc ? crypto.decrypt(m.personNameEnc) : m.displayName;
      await prisma.member.update({ where: { id: m.id }, data: sealedPersonName(crypto, name) });
    }
    members += rows.length;
  }
  let agreements = 0;
  for (;;) {
    const rows = await prisma.agreement.findMany({ where: { ...scope, signerName: { not: null } }, select: { id: true, signerName: true }, take: batch });
    if (rows.length === 0) break;
    for (const a of rows) {
      await prisma.agreement.update({ where: { id: a.id }, data: { signerNameEnc: crypto.encrypt(a.signerName!), signerName: null } });
    }
    agreements += rows.length;
  }
  let idNumbers = 0;
  for (;;) {
    const rows = await prisma.member.findMany({
      where: { ...scope, idNumberEnc: { not: null }, idNumberDigest: null },
      select: { id: true, idNumberEnc: true },
      take: batch,
    });
    if (rows.length === 0) break;
    for (const m of rows) {
      await prisma.member.update({ where: { id: m.id }, data: { idNumberDigest: idNumberDigestOf(crypto, crypto.decrypt(m.idNumberEnc!)) } });
    }
    idNumbers += rows.length;
  }
  return { members, agreements, idNumbers };
}
