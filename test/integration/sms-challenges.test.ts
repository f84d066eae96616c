/**
 * The shared SMS-code piece against the real database, twilio client and outbox: one rule set that
 * every purpose meets (single use, 10 minutes, 5 comparisons under any concurrency, 60 s cooldown
 * under concurrency, daily caps that lock the scope and tell its owner, hashed storage, one SMS per key).
 */
import { randomUUID } from 'node:crypto';
import type { SmsPurpose } from '@prisma/client';
import { BusinessError } from '../../domain/errors';
import { SMS_CODES_PER_SCOPE_PER_DAY, SMS_WRONG_CODES_PER_SCOPE_PER_DAY } from '../../domain/validity';
import { fileHarness, outboxMessages, testNow, uniquePhone } from '../support/harness';

const MINUTE = 60_000;
const PURPOSES: SmsPurpose[] = ['PHONE_BINDING', 'DEVICE_VERIFICATION', 'AGREEMENT_SIGNING', 'MEMBER_PORTAL_LOGIN', 'PASSWORD_RESET'];

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
  const otherThan = (code: string) => (code === '000000' ? '111111' : '000000');

  /** A fresh scope with one code sent at t0; answers the code. */
  const sent = async (purpose: SmsPurpose, t0: Date) => {
    const scope = randomUUID();
    const phone = uniquePhone();
    await h.services.challenges.issue({ key: `first:${scope}`, scope, purpose, phone, now: t0 });
    const code = codeIn((await smsTo(phone)).at(-1)!.body);
    const verify = (c: string, consumer: string, at = new Date(t0.getTime() + MINUTE)) =>
      h.services.challenges.verify({ scope, purpose, code: c, consumer, now: at });
    return { scope, phone, code, verify };
  };

  it('a retried issue with the same key sends one SMS and keeps only a hash of the code', async () => {
    const phone = uniquePhone();
    const scope = randomUUID();
    const req = { key: `k:${scope}`, scope, purpose: 'PHONE_BINDING' as const, phone, now: testNow() };
    const first = await h.services.challenges.issue(req);
    const again = await h.services.challenges.issue(req);
    expect(again.challengeId).toBe(first.challengeId);
    const messages = await smsTo(phone);
    expect(messages).toHaveLength(1);
    const row = await h.services.prisma.smsChallenge.findUniqueOrThrow({ where: { id: first.challengeId } });
    expect(row.codeHash).not.toContain(codeIn(messages[0]!.body));
    expect(row.phoneEnc).not.toContain(phone);
    expect(await h.services.prisma.smsMessage.count({ where: { idempotencyKey: req.key, status: 'SENT' } })).toBe(1);
  });

  describe.each(PURPOSES)('%s', (purpose) => {
    it('single use: the consumer that took the code re-verifies it (a retried step); any other consumer is refused', async () => {
      const t0 = testNow();
      const { code, verify } = await sent(purpose, t0);
      const ok = await verify(code, 'step-1');
      await expect(verify(code, 'step-1', new Date(t0.getTime() + 30 * MINUTE))).resolves.toEqual(ok);
      expect(await errorId(verify(code, 'another-device'))).toBe('sms.code_used');
      expect(await errorId(verify(otherThan(code), 'step-1'))).toBe('sms.code_used');
    });

    it('of concurrent correct submissions by different consumers exactly one succeeds', async () => {
      const { code, verify } = await sent(purpose, testNow());
      const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => errorId(verify(code, `tab-${i}`))));
      expect(answers.filter((a) => a === undefined)).toHaveLength(1);
      // The others find the code used (or, past its 5 comparisons, spent).
      expect(answers.filter((a) => a === 'sms.code_used' || a === 'sms.too_many_attempts')).toHaveLength(7);
    });

    it('expires after 10 minutes', async () => {
      const t0 = testNow();
      const { code, verify } = await sent(purpose, t0);
      expect(await errorId(verify(code, 'c', new Date(t0.getTime() + 10 * MINUTE)))).toBe('sms.code_expired');
    });

    it('50 concurrent wrong codes are 5 comparisons at most: the right code is refused afterwards', async () => {
      const { scope, code, verify } = await sent(purpose, testNow());
      const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => errorId(verify(otherThan(code), `guess-${i}`))));
      expect(answers.filter((a) => a === 'sms.code_wrong')).toHaveLength(4);
      expect(answers.filter((a) => a === 'sms.too_many_attempts')).toHaveLength(46);
      expect(await errorId(verify(code, 'owner'))).toBe('sms.too_many_attempts');
      expect((await h.services.prisma.smsChallenge.findFirstOrThrow({ where: { scope } })).attempts).toBe(5);
    });

    it('cooldown holds under concurrency: of 6 simultaneous requests one sends', async () => {
      const scope = randomUUID();
      const phone = uniquePhone();
      const now = testNow();
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) => errorId(h.services.challenges.issue({ key: `c${i}:${scope}`, scope, purpose, phone, now }))),
      );
      expect(answers.filter((a) => a === undefined)).toHaveLength(1);
      expect(answers.filter((a) => a === 'sms.cooldown')).toHaveLength(5);
      expect(await smsTo(phone)).toHaveLength(1);
    });

    it('asks for a code first when none was sent', async () => {
      expect(await errorId(h.services.challenges.verify({ scope: randomUUID(), purpose, code: '123456', consumer: 'c', now: testNow() }))).toBe(
        'sms.code_missing',
      );
    });
  });

  it(`daily cap on codes sent: the ${SMS_CODES_PER_SCOPE_PER_DAY + 1}th code of a day locks the scope and tells the owner once`, async () => {
    const scope = randomUUID();
    const phone = uniquePhone();
    const t0 = testNow();
    const at = (i: number) => new Date(t0.getTime() + i * 2 * MINUTE);
    for (let i = 0; i < SMS_CODES_PER_SCOPE_PER_DAY; i++) {
      await h.services.challenges.issue({ key: `d${i}:${scope}`, scope, purpose: 'DEVICE_VERIFICATION', phone, now: at(i) });
    }
    const code = codeIn((await smsTo(phone)).at(-1)!.body);
    expect(await errorId(h.services.challenges.issue({ key: `over:${scope}`, scope, purpose: 'DEVICE_VERIFICATION', phone, now: at(20) }))).toBe(
      'sms.scope_locked',
    );
    expect(await errorId(h.services.challenges.issue({ key: `again:${scope}`, scope, purpose: 'PHONE_BINDING', phone, now: at(21) }))).toBe('sms.scope_locked');
    // A locked scope accepts no code either, even the right one.
    const verify = h.services.challenges.verify({ scope, purpose: 'DEVICE_VERIFICATION', code, consumer: 'c', now: at(10) });
    expect(await errorId(verify)).toBe('sms.scope_locked');
    const notices = (await smsTo(phone)).filter((m) => m.body.includes('已暂停24小时'));
    expect(notices).toHaveLength(1);
    // A day later the scope sends again.
    await h.services.challenges.issue({
      key: `next-day:${scope}`,
      scope,
      purpose: 'DEVICE_VERIFICATION',
      phone,
      now: new Date(at(20).getTime() + 24 * 60 * MINUTE + 1),
    });
  });

  it(`daily cap on wrong codes: ${SMS_WRONG_CODES_PER_SCOPE_PER_DAY} wrong codes over fresh codes lock the scope`, async () => {
    const scope = randomUUID();
    const phone = uniquePhone();
    const t0 = testNow();
    let wrongs = 0;
    let last: string | undefined;
    for (let round = 0; wrongs < SMS_WRONG_CODES_PER_SCOPE_PER_DAY; round++) {
      const at = new Date(t0.getTime() + round * 2 * MINUTE);
      await h.services.challenges.issue({ key: `r${round}:${scope}`, scope, purpose: 'PHONE_BINDING', phone, now: at });
      const code = codeIn((await smsTo(phone)).at(-1)!.body);
      for (let i = 0; i < 4 && wrongs < SMS_WRONG_CODES_PER_SCOPE_PER_DAY; i++, wrongs++) {
        last = await errorId(h.services.challenges.verify({ scope, purpose: 'PHONE_BINDING', code: otherThan(code), consumer: 'g', now: at }));
      }
    }
    expect(last).toBe('sms.code_wrong');
    const later = new Date(t0.getTime() + 60 * MINUTE);
    expect(await errorId(h.services.challenges.issue({ key: `after:${scope}`, scope, purpose: 'PHONE_BINDING', phone, now: later }))).toBe('sms.scope_locked');
    expect((await smsTo(phone)).filter((m) => m.body.includes('已暂停24小时'))).toHaveLength(1);
  });
});
