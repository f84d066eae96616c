/**
 * What stands between the product and the verification vendor, whatever path asks (forms, proxy,
 * import, migration):
 * - the vendor's verdict on four elements is stored (by a keyed digest of the four, never the values)
 *   as soon as it is given, before anything is written with it: a retried step or import chunk, and
 *   the same identity again within the cache time, are answered from it and never asked (and paid) twice;
 * - calls to the vendor are paced to a rate per process (the vendor's contract, e.g. 50/s).
 * A vendor that gave no verdict leaves nothing behind: it is asked again next time.
 */
import type pg from 'pg';
import { normalisePersonName } from '../../domain/identity';
import type { FieldCrypto } from '../adapters/field-crypto';
import type { BankCardVerifier, FourElements, VerificationResult } from '../adapters/verification';

const NOW_UTC = `(now() AT TIME ZONE 'UTC')`;

export function identityDigest(crypto: FieldCrypto, input: FourElements): string {
  return crypto.digest(
    'four-elements',
    JSON.stringify([normalisePersonName(input.name), input.idNumber.trim().toUpperCase(), input.cardNumber.replace(/\s+/g, ''), input.phone.trim()]),
  );
}

/** Verdicts kept for `hours`: asked once, answered from the store after. */
export function rememberingVerdicts(verifier: BankCardVerifier, deps: { sql: pg.Pool; crypto: FieldCrypto; hours: number }): BankCardVerifier {
  return {
    async verifyFourElements(input, opts) {
      const digest = identityDigest(deps.crypto, input);
      const { rows } = await deps.sql.query<{ verdict: VerificationResult }>(
        `SELECT verdict FROM "VerificationVerdict" WHERE "identityDigest" = $1 AND "verifiedAt" > ${NOW_UTC} - make_interval(hours => $2)`,
        [digest, deps.hours],
      );
      if (rows[0]) return rows[0].verdict;
      const verdict = await verifier.verifyFourElements(input, opts);
      await deps.sql.query(
        `INSERT INTO "VerificationVerdict" ("identityDigest", verdict, "verifiedAt") VALUES ($1, $2::jsonb, ${NOW_UTC})
         ON CONFLICT ("identityDigest") DO UPDATE SET verdict = EXCLUDED.verdict, "verifiedAt" = EXCLUDED."verifiedAt"`,
        [digest, JSON.stringify(verdict)],
      );
      return verdict;
    },
  };
}

/** At most `perSecond` calls a second from this process: each call waits for its slot. */
export function pacedVerifier(
  verifier: BankCardVerifier,
  perSecond: number,
  time: { now(): number; sleep(ms: number): Promise<void> } = { now: () => performance.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
): BankCardVerifier {
  const spacing = 1000 / perSecond;
  let nextSlot = 0;
  return {
    async verifyFourElements(input, opts) {
      const now = time.now();
      const slot = Math.max(now, nextSlot);
      nextSlot = slot + spacing;
      if (slot > now) await time.sleep(slot - now);
      return verifier.verifyFourElements(input, opts);
    },
  };
}
