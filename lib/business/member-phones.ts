import type { PrismaClient } from '@prisma/client';
import type { FieldCrypto } from '../adapters/field-crypto';

/** The phone on file: the bound phone once there is one, else the legal representative's (enterprise) or the bank-reserved phone (person). */
export async function phoneOnFile(prisma: PrismaClient, crypto: FieldCrypto, memberId: string): Promise<string | null> {
  const member = await prisma.member.findUniqueOrThrow({
    where: { id: memberId },
    select: { boundPhoneEnc: true, legalPhoneEnc: true, bankCards: { select: { reservedPhoneEnc: true }, take: 1, orderBy: { createdAt: 'asc' } } },
  });
  const sealed = member.boundPhoneEnc ?? member.legalPhoneEnc ?? member.bankCards[0]?.reservedPhoneEnc;
  return sealed ? crypto.decrypt(sealed) : null;
}
