/** The platform's SM2 key pair (its public half is the 通联公钥 applications download): made on first use, kept encrypted. */
import type { PrismaClient } from '@prisma/client';
import { sm2 } from 'sm-crypto-v2';
import type { FieldCrypto } from '../adapters/field-crypto';

export interface PlatformKeyPair {
  publicKey: string;
  privateKey: string;
}

// The pair never changes once made: read once per process (per database client).
const cache = new WeakMap<PrismaClient, Promise<PlatformKeyPair>>();

export function platformKeyPair(prisma: PrismaClient, crypto: FieldCrypto): Promise<PlatformKeyPair> {
  let pair = cache.get(prisma);
  if (!pair) {
    pair = load(prisma, crypto);
    cache.set(prisma, pair);
    pair.catch(() => cache.delete(prisma)); // a failed read is tried again next time
  }
  return pair;
}

async function load(prisma: PrismaClient, crypto: FieldCrypto): Promise<PlatformKeyPair> {
  let row = await prisma.platformKey.findUnique({ where: { id: 'SM2' } });
  if (!row) {
    const pair = sm2.generateKeyPairHex();
    // Two first uses at once: one insert wins, both read it back.
    await prisma.platformKey.createMany({
      data: [{ id: 'SM2', publicKey: pair.publicKey, privateKeyEnc: crypto.encrypt(pair.privateKey) }],
      skipDuplicates: true,
    });
    row = await prisma.platformKey.findUniqueOrThrow({ where: { id: 'SM2' } });
  }
  return { publicKey: row.publicKey, privateKey: crypto.decrypt(row.privateKeyEnc) };
}
