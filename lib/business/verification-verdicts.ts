/**
 * What stands between the product and the verification vendor, whatever path asks (forms, proxy,
 * import, migration):
 * - the vendor's verdict on four elements (a person's bank card, an enterprise) is stored (by a keyed
 *   digest of the four, never the values)
 *   as soon as it is given, before anything is written with it: a retried step or import chunk, and
 *   the same identity again within the cache time, are answered from it and never asked (and paid) twice;
 * - calls to the vendor are paced to a rate per process (the vendor's contract, e.g. 50/s).
 * A vendor that gave no verdict leaves nothing behind: it is asked again next time.
 */
import type pg from 'pg';
import { normalisePersonName } from '../../domain/identity';
import type { FieldCrypto } from '../adapters/field-crypto';
import type {
  BankCardVerifier,
  EnterpriseElements,
  EnterpriseVerdict,
  EnterpriseVerifier,
  FourElements,
  VerificationResult,
  VerifyOptions,
} from '../adapters/verification';

const NOW_UTC = `(now() AT TIME ZONE 'UTC')`;

export function identityDigest(crypto: FieldCrypto, input: FourElements): string {
  return crypto.digest(
    'four-elements',
    JSON.stringify([normalisePersonName(input.name), input.idNumber.trim().toUpperCase(), input.cardNumber.replace(/\s+/g, ''), input.phone.trim()]),
  );
}

export function enterpriseDigest(crypto: FieldCrypto, input: EnterpriseElements): string {
  return crypto.digest(
    'enterprise-elements',
    JSON.stringify([
      input.companyName.trim(),
      input.creditCode.trim().toUpperCase(),
      normalisePersonName(input.legalRepresentative),
      input.legalIdNumber.trim().toUpperCase(),
    ]),
  );
}

type Store = { sql: pg.Pool; crypto: FieldCrypto; hours: number };

/** The stored verdict of this digest within the cache time, else the vendor's (stored before it is returned). */
async function remembered<V>(deps: Store, digest: string, ask: () => Promise<V>): Promise<V> {
  const { rows } = await deps.sql.query<{ verdict: V }>(
    `SELECT verdict FROM "VerificationVerdict" WHERE "identityDigest" = $1 AND "verifiedAt" > ${NOW_UTC} - make_interval(hours => $2)`,
    [digest, deps.hours],
  );
  if (rows[0]) return rows[0].verdict;
  const verdict = await ask();
  await deps.sql.query(
    `INSERT INTO "VerificationVerdict" ("identityDigest", verdict, "verifiedAt") VALUES ($1, $2::jsonb, ${NOW_UTC})
     ON CONFLICT ("identityDigest") DO UPDATE SET verdict = EXCLUDED.verdict, "verifiedAt" = EXCLUDED."verifiedAt"`,
    [digest, JSON.stringify(verdict)],
  );
  return verdict;
}

/** Verdicts kept for `hours`: asked once, answered from the store after. */
export function rememberingVerdicts(verifier: BankCardVerifier, deps: Store): BankCardVerifier {
  return {
    verifyFourElements: (input, opts): Promise<VerificationResult> =>
      remembered(deps, identityDigest(deps.crypto, input), () => verifier.verifyFourElements(input, opts)),
  };
}

export function rememberingEnterpriseVerdicts(verifier: EnterpriseVerifier, deps: Store): EnterpriseVerifier {
  return {
    verifyEnterprise: (input, opts): Promise<EnterpriseVerdict> =>
      remembered(deps, enterpriseDigest(deps.crypto, input), () => verifier.verifyEnterprise(input, opts)),
  };
}

type Time = { now(): number; sleep(ms: number): Promise<void> };
const REAL_TIME: Time = { now: () => performance.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

/** At most `perSecond` calls a second: each call waits for its slot. */
function pacer(perSecond: number, time: Time) {
  const spacing = 1000 / perSecond;
  let nextSlot = 0;
  return async <T>(call: () => Promise<T>): Promise<T> => {
    const now = time.now();
    const slot = Math.max(now, nextSlot);
    nextSlot = slot + spacing;
    if (slot > now) await time.sleep(slot - now);
    return call();
  };
}

/** At most `perSecond` calls a second from this process: each call waits for its slot. */
export function pacedVerifier(verifier: BankCardVerifier, perSecond: number, time: Time = REAL_TIME): BankCardVerifier {
  const paced = pacer(perSecond, time);
  return { verifyFourElements: (input: FourElements, opts?: VerifyOptions) => paced(() => verifier.verifyFourElements(input, opts)) };
}

export function pacedEnterpriseVerifier(verifier: EnterpriseVerifier, perSecond: number, time: Time = REAL_TIME): EnterpriseVerifier {
  const paced = pacer(perSecond, time);
  return { verifyEnterprise: (input: EnterpriseElements, opts?: VerifyOptions) => paced(() => verifier.verifyEnterprise(input, opts)) };
}
