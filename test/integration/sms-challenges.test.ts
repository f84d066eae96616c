/**
 * The shared SMS-code piece against the real database, twilio client and outbox:
 * the rules every flow relies on (10 minutes, 5 wrong tries, 60 s cooldown,
 * hashed storage, one SMS per key however often the call is retried).
 */
import { randomUUID } from 'node:crypto';
import { BusinessError } from '../../domain/errors';
import { outboxMessages, uniquePhone, fileHarness } from '../support/harness';

const MINUTE = 60_000;

async function errorId(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    if (err instanceof BusinessError) return err.id;
    throw err;
  }
}

describe('SMS challenges', () => {
  const h = fileHarness();

  const smsTo = async (phone: string) => (await outboxMessages(h.config)).filter((m) => m.to === `+86${phone}`);
  const codeIn = (body: string) => /验证码(\d{6})/.exec(body)![1]!;

  it('a retried issue with the same key sends one SMS and keeps only a hash of the code', async () => {
    const phone = uniquePhone();
    const scope = randomUUID();
    const req = { key: `k:${scope}`, scope, purpose: 'PHONE_BINDING' as const, phone };
    const first = await h.services.challenges.issue(req);
    const again = await h.services.challenges.issue(req);
    expect(again.challengeId).toBe(first.challengeId);
    const sent = await smsTo(phone);
    expect(sent).toHaveLength(1);
    const row = await h.services.prisma.smsChallenge.findUniqueOrThrow({ where: { id: first.challengeId } });
    expect(row.codeHash).not.toContain(codeIn(sent[0]!.body));
    expect(row.phoneEnc).not.toContain(phone);
    expect(await h.services.prisma.smsMessage.count({ where: { idempotencyKey: req.key, status: 'SENT' } })).toBe(1);
  });

  it('refuses a new code within 60 s, then allows it', async () => {
    const scope = randomUUID();
    const phone = uniquePhone();
    const t0 = new Date();
    await h.services.challenges.issue({ key: `a:${scope}`, scope, purpose: 'AGREEMENT_SIGNING', phone, now: t0 });
    const tooSoon = h.services.challenges.issue({ key: `b:${scope}`, scope, purpose: 'AGREEMENT_SIGNING', phone, now: new Date(t0.getTime() + 59_000) });
    expect(await errorId(tooSoon)).toBe('sms.cooldown');
    await h.services.challenges.issue({ key: `c:${scope}`, scope, purpose: 'AGREEMENT_SIGNING', phone, now: new Date(t0.getTime() + 61_000) });
    expect(await smsTo(phone)).toHaveLength(2);
  });

  it('a code works once, within 10 minutes', async () => {
    const scope = randomUUID();
    const phone = uniquePhone();
    const t0 = new Date();
    await h.services.challenges.issue({ key: `x:${scope}`, scope, purpose: 'PHONE_BINDING', phone, now: t0 });
    const code = codeIn((await smsTo(phone))[0]!.body);
    const late = h.services.challenges.verify({ scope, purpose: 'PHONE_BINDING', code, now: new Date(t0.getTime() + 10 * MINUTE) });
    expect(await errorId(late)).toBe('sms.code_expired');
    const ok = await h.services.challenges.verify({ scope, purpose: 'PHONE_BINDING', code, now: new Date(t0.getTime() + 9 * MINUTE) });
    expect(ok.challengeId).toBeDefined();
    // A retried verification of the same code succeeds again; another code does not.
    await expect(h.services.challenges.verify({ scope, purpose: 'PHONE_BINDING', code })).resolves.toEqual(ok);
    expect(await errorId(h.services.challenges.verify({ scope, purpose: 'PHONE_BINDING', code: code === '000000' ? '111111' : '000000' }))).toBe(
      'sms.code_missing',
    );
  });

  it('after 5 wrong tries even the right code is refused until a new one is sent', async () => {
    const scope = randomUUID();
    const phone = uniquePhone();
    await h.services.challenges.issue({ key: `w:${scope}`, scope, purpose: 'DEVICE_VERIFICATION', phone });
    const code = codeIn((await smsTo(phone))[0]!.body);
    const wrong = code === '000000' ? '111111' : '000000';
    const answers: (string | undefined)[] = [];
    for (let i = 0; i < 5; i++) answers.push(await errorId(h.services.challenges.verify({ scope, purpose: 'DEVICE_VERIFICATION', code: wrong })));
    expect(answers).toEqual(['sms.code_wrong', 'sms.code_wrong', 'sms.code_wrong', 'sms.code_wrong', 'sms.too_many_attempts']);
    expect(await errorId(h.services.challenges.verify({ scope, purpose: 'DEVICE_VERIFICATION', code }))).toBe('sms.too_many_attempts');
  });

  it('asks for a code first when none was sent', async () => {
    expect(await errorId(h.services.challenges.verify({ scope: randomUUID(), purpose: 'PHONE_BINDING', code: '123456' }))).toBe('sms.code_missing');
  });
});
