/**
 * Between the product and the verification vendor: a verdict is stored as soon as the vendor gives
 * it, so the same four elements are not asked (and paid) again within the cache time — a retried
 * import chunk or step included — while a vendor that gave no verdict leaves nothing behind; and calls
 * are paced to the vendor's rate. Against a sandbox vendor of this test's own (its call count is ours).
 */
import { type SandboxVendor, startSandboxVendor } from '../../dev-verifier/vendor';
import { VerifierUnavailableError, createFaceIdVerifier } from '../../lib/adapters/verification';
import { identityDigest, pacedVerifier, rememberingVerdicts } from '../../lib/business/verification-verdicts';
import { cardNumber, idNumber } from '../support/fixtures';
import { fileHarness, uniquePhone } from '../support/harness';

describe('stored verdicts and the pace toward the verification vendor', () => {
  const h = fileHarness();
  let vendor: SandboxVendor;
  const keys = { secretId: 'AKIDverdicts000000000000000000000000', secretKey: 'verdicts-key-0123456789abcdef0000' };
  beforeAll(async () => {
    vendor = await startSandboxVendor({ port: 0, ...keys });
  });
  afterAll(() => vendor.stop());

  it('asks the vendor once per identity within the cache time, and again after it', async () => {
    const { sql, crypto } = h.services;
    const verifier = rememberingVerdicts(createFaceIdVerifier({ url: vendor.url, ...keys, retries: 0 }), { sql, crypto, hours: 24 });
    const person = { name: '郑小雨', idNumber: idNumber('19920202', '318'), cardNumber: cardNumber('621703'), phone: uniquePhone() };
    vendor.register(person);
    expect(await verifier.verifyFourElements(person)).toEqual({ ok: true });
    // Again, also spelled differently (spaces in the card number): the stored verdict, no call.
    expect(await verifier.verifyFourElements({ ...person, cardNumber: person.cardNumber.replace(/(\d{4})/g, '$1 ') })).toEqual({ ok: true });
    expect(vendor.calls()).toBe(1);
    // Another phone is another identity: asked, and its mismatch stored too.
    const wrongPhone = { ...person, phone: uniquePhone() };
    expect(await verifier.verifyFourElements(wrongPhone)).toMatchObject({ ok: false, element: 'phone' });
    expect(await verifier.verifyFourElements(wrongPhone)).toMatchObject({ ok: false, element: 'phone' });
    expect(vendor.calls()).toBe(2);
    // Stored by digest only: no value of the four in the row.
    const row = await h.services.prisma.verificationVerdict.findUniqueOrThrow({ where: { identityDigest: identityDigest(crypto, person) } });
    expect(JSON.stringify(row)).not.toContain(person.idNumber);
    // Older than the cache time: asked again.
    await sql.query(`UPDATE "VerificationVerdict" SET "verifiedAt" = "verifiedAt" - interval '25 hours' WHERE "identityDigest" = $1`, [row.identityDigest]);
    expect(await verifier.verifyFourElements(person)).toEqual({ ok: true });
    expect(vendor.calls()).toBe(3);
  });

  it('keeps nothing when the vendor gives no verdict', async () => {
    const { sql, crypto } = h.services;
    const verifier = rememberingVerdicts(createFaceIdVerifier({ url: vendor.url, ...keys, retries: 0 }), { sql, crypto, hours: 24 });
    const person = { name: '钱小雷', idNumber: idNumber('19930303', '417'), cardNumber: cardNumber('621704'), phone: uniquePhone() };
    vendor.setOutage(true, [person.cardNumber]);
    await expect(verifier.verifyFourElements(person)).rejects.toBeInstanceOf(VerifierUnavailableError);
    vendor.setOutage(false);
    expect(await h.services.prisma.verificationVerdict.count({ where: { identityDigest: identityDigest(crypto, person) } })).toBe(0);
    expect(await verifier.verifyFourElements(person)).toEqual({ ok: true });
  });

  it('never lets more calls reach the vendor in a second than its rate (on a virtual clock)', async () => {
    let now = 0;
    const reached: number[] = [];
    const inner = { verifyFourElements: async () => (reached.push(now), { ok: true as const }) };
    const paced = pacedVerifier(inner, 50, { now: () => now, sleep: async (ms) => void (now += ms) });
    const person = { name: '孙', idNumber: '', cardNumber: '', phone: '' };
    for (let i = 0; i < 120; i++) await paced.verifyFourElements(person);
    expect(reached).toHaveLength(120);
    for (const t of reached) expect(reached.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(50);
    // After a quiet while the next call is not held back.
    now += 60_000;
    const before = now;
    await paced.verifyFourElements(person);
    expect(reached.at(-1)).toBe(before);
  });
});
