/**
 * The verification vendor in trouble is never a mismatch: while the sandbox vendor (dev-verifier/)
 * fails the calls for a card, the member's 实名信息 step answers 认证中 at once and the member's flow
 * asks again by itself (the link kept alive meanwhile, its expiry moved by the wait, the operators
 * alerted past the threshold); the platform's 平台代开户 is created 认证中 and its confirmation SMS goes
 * out only once the flow got the vendor's verdict.
 */
import request from 'supertest';
import { cardNumber, idNumber } from '../../test/support/fixtures';
import { createTenant, eventually, fileHarness, outboxMessages, outboxWait, signIn, signedInTenant, uniquePhone } from '../../test/support/harness';

describe('a verification vendor outage', () => {
  const h = fileHarness();

  /** Only this card's calls fail: the other test files share the sandbox vendor. */
  const outage = async (on: boolean, card: string) => {
    const res = await fetch(`${h.config.VERIFIER_URL}/sandbox/outage`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ on, cards: [card] }),
    });
    expect(res.status).toBe(200);
  };

  it('delays the member’s 实名信息 step without failing it: 认证中 at once, the link kept alive, the flow asks again and moves on', async () => {
    const { agent } = await signedInTenant(h);
    const began = performance.now();
    const created = await agent.post('/api/members').send({ type: 'INDIVIDUAL', bizUserId: 'vo-1', name: '周晓明' });
    const memberId = created.body.member.id as string;
    const token = created.body.link.url.split('/onboard/')[1] as string;
    const member = request.agent(h.app.app);
    await member.get(`/api/onboarding/${token}`).expect(200);
    const data = { name: '周晓明', idNumber: idNumber(), cardNumber: cardNumber('621700'), phone: uniquePhone() };
    const session = async () => h.services.prisma.onboardingSession.findFirstOrThrow({ where: { memberId } });
    const issuedExpiry = (await session()).expiresAt;
    await outage(true, data.cardNumber);
    try {
      const pending = await member.post(`/api/onboarding/${token}/real-name`).send(data);
      expect(pending.status).toBe(200);
      expect(pending.body).toMatchObject({ stage: 'INFORMATION', nextStep: 'REAL_NAME', verification: { pending: true } });
      expect(await h.services.prisma.bankCard.count({ where: { memberId } })).toBe(0);
      const again = await member.post(`/api/onboarding/${token}/real-name`).send(data);
      expect([again.status, again.body.error?.id]).toEqual([409, 'onboarding.verification_pending']);
      // The platform's list says 认证中.
      const listed = await agent.get('/api/members').query({ keyword: 'vo-1' });
      expect(listed.body.items[0]).toMatchObject({ bizUserId: 'vo-1', stage: 'INFORMATION', verificationPending: true });

      // A link whose 7 days ran out while it waits is still usable.
      await h.services.sql.query(`UPDATE "OnboardingSession" SET "expiresAt" = (now() AT TIME ZONE 'UTC') - interval '1 hour' WHERE "memberId" = $1::uuid`, [
        memberId,
      ]);
      expect((await member.get(`/api/onboarding/${token}`)).body.verification).toMatchObject({ pending: true });

      // Waiting longer than the threshold is an outage the operators see (their console, the metric).
      const op = await createTenant(h.services, 'OPERATOR');
      const ops = await signIn(h.app, op.username, op.password);
      await h.services.sql.query(
        `UPDATE "OnboardingSession" SET "verificationPendingSince" = "verificationPendingSince" - interval '20 minutes' WHERE "memberId" = $1::uuid`,
        [memberId],
      );
      const alert = await ops.get('/api/operator/verification-outage').expect(200);
      expect(alert.body).toMatchObject({ alerting: true, thresholdMinutes: 15 });
      expect(alert.body.waiting).toBeGreaterThanOrEqual(1);
      expect(alert.body.waitedMinutes).toBeGreaterThanOrEqual(20);
      const metrics = await request(h.app.app).get('/metrics').expect(200);
      const oldest = Number(/^yst_verification_pending_oldest_seconds (\S+)$/m.exec(metrics.text)?.[1]);
      expect(oldest).toBeGreaterThanOrEqual(20 * 60);
    } finally {
      await outage(false, data.cardNumber);
    }
    // Nobody submits again: the flow's own retry gets the verdict and the member is at phone binding.
    const moved = await eventually(
      () => member.get(`/api/onboarding/${token}`),
      (r) => r.body.stage === 'PHONE_BINDING' && r.body.verification === null,
      'the flow verified by itself once the vendor was back',
      30_000,
    );
    expect(moved.body.verification).toBeNull();
    expect(await h.services.prisma.bankCard.count({ where: { memberId } })).toBe(1);
    const settled = await session();
    expect(settled.verificationPendingSince).toBeNull();
    // The flow's deadline (the link's 7 days) moved later by the wait — never by more than this test has lasted.
    const extension = settled.expiresAt.getTime() - issuedExpiry.getTime();
    expect(extension).toBeGreaterThan(0);
    expect(extension).toBeLessThanOrEqual(performance.now() - began);
    const history = (await agent.get(`/api/members/${memberId}`)).body.onboardings[0].history.map((e: { note: string }) => e.note);
    expect(history).toEqual(expect.arrayContaining([expect.stringContaining('认证中'), expect.stringContaining('开户链接有效期顺延')]));
  });

  it('takes a 平台代开户 made during the outage as 认证中: no SMS, no card, until the vendor is back and verifies it', async () => {
    const { tenant, agent } = await signedInTenant(h);
    const realName = { name: '吴建华', idNumber: idNumber(), cardNumber: cardNumber('621700'), phone: uniquePhone() };
    const before = new Date();
    await outage(true, realName.cardNumber);
    let memberId: string;
    try {
      const accepted = await agent.post('/api/members/proxy').send({ type: 'INDIVIDUAL', bizUserId: 'vo-2', realName });
      expect(accepted.status).toBe(201);
      memberId = accepted.body.member.id;
      expect(accepted.body.member).toMatchObject({ realNameVerifiedAt: null, bankCards: [] });
      expect(accepted.body.member.onboardings[0]).toMatchObject({ stage: 'CONFIRMATION', active: true });
      expect(accepted.body.member.onboardings[0].verificationPendingSince).not.toBeNull();
      const listed = await agent.get('/api/members').query({ keyword: 'vo-2' });
      expect(listed.body.items[0]).toMatchObject({ stage: 'CONFIRMATION', verificationPending: true });
      // Nothing goes to the member while its information is not verified.
      await new Promise((r) => setTimeout(r, 1_000));
      expect((await outboxMessages(h.config)).filter((m) => m.to === `+86${realName.phone}` && new Date(m.receivedAt) > before)).toHaveLength(0);
    } finally {
      await outage(false, realName.cardNumber);
    }
    // The flow asks again by itself: verified, the card is stored and the confirmation SMS goes out.
    await outboxWait(h.config, (m) => m.to === `+86${realName.phone}` && new Date(m.receivedAt) > before && m.body.includes('确认'), 30_000);
    const member = await h.services.prisma.member.findUniqueOrThrow({ where: { id: memberId! }, include: { bankCards: true, onboardings: true } });
    expect(member.realNameVerifiedAt).not.toBeNull();
    expect(member.bankCards).toHaveLength(1);
    expect(member.onboardings[0]!.verificationPendingSince).toBeNull();
    expect(await h.services.prisma.member.count({ where: { applicationId: tenant.application.id } })).toBe(1);
  });
});
