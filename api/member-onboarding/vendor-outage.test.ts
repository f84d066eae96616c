/**
 * The verification vendor in trouble is never a mismatch: while the sandbox vendor (dev-verifier/)
 * fails the calls for a card, the member's 实名信息 step and the platform's 平台代开户 answer 503
 * `verification.unavailable`, nothing is stored and the step stays where it was; once the vendor is
 * back the same submission goes through.
 */
import request from 'supertest';
import { cardNumber, idNumber } from '../../test/support/fixtures';
import { fileHarness, signedInTenant, uniquePhone } from '../../test/support/harness';

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

  it('delays the member’s 实名信息 step without failing it', async () => {
    const { agent } = await signedInTenant(h);
    const created = await agent.post('/api/members').send({ type: 'INDIVIDUAL', bizUserId: 'vo-1', name: '周晓明' });
    const token = created.body.link.url.split('/onboard/')[1] as string;
    const member = request.agent(h.app.app);
    await member.get(`/api/onboarding/${token}`).expect(200);
    const data = { name: '周晓明', idNumber: idNumber(), cardNumber: cardNumber('621700'), phone: uniquePhone() };
    await outage(true, data.cardNumber);
    try {
      const refused = await member.post(`/api/onboarding/${token}/real-name`).send(data);
      expect([refused.status, refused.body.error?.id]).toEqual([503, 'verification.unavailable']);
      expect(refused.body.error.message).toContain('稍后重试');
      expect((await member.get(`/api/onboarding/${token}`)).body).toMatchObject({ stage: 'INFORMATION', nextStep: 'REAL_NAME' });
      expect(await h.services.prisma.bankCard.count({ where: { memberId: created.body.member.id } })).toBe(0);
    } finally {
      await outage(false, data.cardNumber);
    }
    const accepted = await member.post(`/api/onboarding/${token}/real-name`).send(data);
    expect(accepted.status).toBe(200);
    expect(accepted.body.stage).toBe('PHONE_BINDING');
  });

  it('leaves no member behind for a 平台代开户 made during the outage', async () => {
    const { tenant, agent } = await signedInTenant(h);
    const realName = { name: '吴建华', idNumber: idNumber(), cardNumber: cardNumber('621700'), phone: uniquePhone() };
    await outage(true, realName.cardNumber);
    try {
      const refused = await agent.post('/api/members/proxy').send({ type: 'INDIVIDUAL', bizUserId: 'vo-2', realName });
      expect([refused.status, refused.body.error?.id]).toEqual([503, 'verification.unavailable']);
      expect(await h.services.prisma.member.count({ where: { applicationId: tenant.application.id } })).toBe(0);
    } finally {
      await outage(false, realName.cardNumber);
    }
    await agent.post('/api/members/proxy').send({ type: 'INDIVIDUAL', bizUserId: 'vo-2', realName }).expect(201);
  });
});
