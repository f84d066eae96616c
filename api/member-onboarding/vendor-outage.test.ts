/**
 * The verification vendor in trouble is never a mismatch: while the sandbox vendor (dev-verifier/)
 * fails the calls for a card, the member's 实名信息 step answers 认证中 at once and the member's flow
 * asks again by itself (the link kept alive meanwhile, its expiry moved by the wait, the operators
 * alerted past the threshold); an enterprise's 法人信息 (企业四要素) waits the same way; the platform's
 * 平台代开户 is created 认证中 and its confirmation SMS goes out only once the flow got the vendor's verdict.
 */
import request from 'supertest';
import { statusQuery } from '../../workflows/member-onboarding/messages';
import { ONBOARDING_LINK_VALIDITY_MS } from '../../domain/validity';
import { PNG_1X1, cardNumber, creditCode, idNumber, withConsent } from '../../test/support/fixtures';
import { createTenant, eventually, fileHarness, outboxMessages, outboxWait, signIn, signedInTenant, uniquePhone } from '../../test/support/harness';

describe('a verification vendor outage', () => {
  const h = fileHarness();

  /** Only this card's (or credit code's) calls fail: the other test files share the sandbox vendor. */
  const outage = async (on: boolean, card: string) => {
    const res = await fetch(`${h.config.VERIFIER_URL}/sandbox/outage`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ on, cards: [card] }),
    });
    expect(res.status).toBe(200);
  };
  /** A company in the sandbox vendor's business register. */
  const registerCompany = async (company: { companyName: string; creditCode: string; legalRepresentative: string; legalIdNumber: string }) => {
    const res = await fetch(`${h.config.VERIFIER_URL}/sandbox/enterprises`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(company),
    });
    expect(res.status).toBe(201);
  };

  it('delays the member’s 实名信息 step without failing it: 认证中 at once, the link kept alive, the flow asks again and moves on', async () => {
    const { agent } = await signedInTenant(h);
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
      const pending = await member.post(`/api/onboarding/${token}/real-name`).send(withConsent(data));
      expect(pending.status).toBe(200);
      expect(pending.body).toMatchObject({ stage: 'INFORMATION', nextStep: 'REAL_NAME', verification: { pending: true } });
      expect(await h.services.prisma.bankCard.count({ where: { memberId } })).toBe(0);
      const again = await member.post(`/api/onboarding/${token}/real-name`).send(withConsent(data));
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
    // The link rule: its expiry moved later by exactly the wait, as the flow's own history dates it.
    const status = await h.temporal.workflow.getHandle(settled.workflowId).query(statusQuery);
    const noted = (text: string) => Date.parse(status.history.find((e) => e.note.includes(text))!.at);
    const waited = noted('实名认证通过') - noted('认证中');
    expect(waited).toBeGreaterThan(0);
    const { startTime } = await h.temporal.workflow.getHandle(settled.workflowId).describe();
    expect(Date.parse(status.expiresAt) - startTime.getTime()).toBe(ONBOARDING_LINK_VALIDITY_MS + waited);
    // The member's page reads the same expiry (the app's clock of that instant).
    expect(settled.expiresAt.getTime()).toBe(h.services.clock.fromSystemTime(status.expiresAt).getTime());
    expect(settled.expiresAt.getTime()).toBeGreaterThan(issuedExpiry.getTime());
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

  it('keeps an enterprise’s 法人信息 认证中 during the outage; the verdict found later (a wrong company name) reopens 企业基本信息 with the reason', async () => {
    const registered = {
      companyName: '深圳市候验科技有限公司',
      creditCode: creditCode('91440300QY07'),
      legalRepresentative: '钱七',
      legalIdNumber: idNumber('19800808', '135'),
    };
    await registerCompany(registered);
    const { agent } = await signedInTenant(h);
    const created = await agent.post('/api/members').send({ type: 'ENTERPRISE', bizUserId: 'vo-3', name: registered.companyName });
    const memberId = created.body.member.id as string;
    const token = created.body.link.url.split('/onboard/')[1] as string;
    const member = request.agent(h.app.app);
    await member.get(`/api/onboarding/${token}`).expect(200);
    // The member types the company's name differently from the register.
    const company = { name: '深圳市侯验科技有限公司', creditCode: registered.creditCode, address: '深圳市福田区', businessScope: '软件开发' };
    await member.post(`/api/onboarding/${token}/company`).send(company).expect(200);
    const legal = { name: registered.legalRepresentative, idNumber: registered.legalIdNumber, phone: uniquePhone() };
    await outage(true, registered.creditCode);
    try {
      const pending = await member.post(`/api/onboarding/${token}/legal-representative`).send(withConsent(legal));
      expect(pending.status).toBe(200);
      expect(pending.body).toMatchObject({ stage: 'INFORMATION', nextStep: 'LEGAL_REPRESENTATIVE', verification: { pending: true } });
      // Nothing else is taken meanwhile (the company cannot be changed under the question either).
      const meanwhile = await member.post(`/api/onboarding/${token}/company`).send(company);
      expect([meanwhile.status, meanwhile.body.error?.id]).toEqual([409, 'onboarding.verification_pending']);
      const listed = await agent.get('/api/members').query({ keyword: 'vo-3' });
      expect(listed.body.items[0]).toMatchObject({ stage: 'INFORMATION', verificationPending: true });
      expect((await h.services.prisma.member.findUniqueOrThrow({ where: { id: memberId } })).realNameVerifiedAt).toBeNull();
    } finally {
      await outage(false, registered.creditCode);
    }
    // The flow's own retry gets the verdict: the name differs, so the member is back at 企业基本信息 with the reason.
    const reopened = await eventually(
      () => member.get(`/api/onboarding/${token}`),
      (r) => r.body.verification?.pending === false,
      'the flow got the vendor’s verdict once it was back',
      30_000,
    );
    expect(reopened.body).toMatchObject({ stage: 'INFORMATION', nextStep: 'COMPANY', stepsDone: [] });
    expect(reopened.body.verification.note).toContain('企业名称与工商登记不一致');
    expect((await h.services.prisma.member.findUniqueOrThrow({ where: { id: memberId } })).realNameVerifiedAt).toBeNull();

    // Corrected, the steps go through as usual (the vendor answers at once now).
    await member
      .post(`/api/onboarding/${token}/company`)
      .send({ ...company, name: registered.companyName })
      .expect(200);
    const passed = await member.post(`/api/onboarding/${token}/legal-representative`).send(withConsent(legal));
    expect([passed.status, passed.body.nextStep, passed.body.verification]).toEqual([200, 'LICENCES', null]);
    expect((await h.services.prisma.member.findUniqueOrThrow({ where: { id: memberId } })).realNameVerifiedAt).not.toBeNull();
    const history = (await agent.get(`/api/members/${memberId}`)).body.onboardings[0].history.map((e: { note: string }) => e.note);
    expect(history).toEqual(expect.arrayContaining([expect.stringContaining('认证中'), expect.stringContaining('企业名称与工商登记不一致')]));
  });

  it('takes an enterprise’s 平台代开户 made during the outage as 认证中, and sends the confirmation SMS once its flow verified the company', async () => {
    const { tenant, agent } = await signedInTenant(h);
    const data = {
      type: 'ENTERPRISE',
      bizUserId: 'vo-4',
      company: { name: '深圳代开候验科技有限公司', creditCode: creditCode('91440300QY08'), address: '深圳市南山区', businessScope: '软件开发' },
      legalRepresentative: { name: '郑法人', idNumber: idNumber('19820202', '357'), phone: uniquePhone() },
    };
    const before = new Date();
    await outage(true, data.company.creditCode);
    let memberId: string;
    try {
      const accepted = await agent
        .post('/api/members/proxy')
        .field('data', JSON.stringify(data))
        .attach('businessLicence', PNG_1X1, 'licence.png')
        .attach('idFront', PNG_1X1, 'front.png')
        .attach('idBack', PNG_1X1, 'back.png');
      expect(accepted.status).toBe(201);
      memberId = accepted.body.member.id;
      expect(accepted.body.member).toMatchObject({ realNameVerifiedAt: null });
      expect(accepted.body.member.onboardings[0]).toMatchObject({ stage: 'CONFIRMATION', active: true });
      expect(accepted.body.member.onboardings[0].verificationPendingSince).not.toBeNull();
      await new Promise((r) => setTimeout(r, 1_000));
      expect((await outboxMessages(h.config)).filter((m) => m.to === `+86${data.legalRepresentative.phone}` && new Date(m.receivedAt) > before)).toHaveLength(
        0,
      );
    } finally {
      await outage(false, data.company.creditCode);
    }
    await outboxWait(h.config, (m) => m.to === `+86${data.legalRepresentative.phone}` && new Date(m.receivedAt) > before && m.body.includes('确认'), 30_000);
    const member = await h.services.prisma.member.findUniqueOrThrow({ where: { id: memberId! }, include: { onboardings: true } });
    expect(member.realNameVerifiedAt).not.toBeNull();
    expect(member.onboardings[0]!.verificationPendingSince).toBeNull();
    expect(await h.services.prisma.member.count({ where: { applicationId: tenant.application.id } })).toBe(1);
  });
});
