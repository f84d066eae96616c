/**
 * 银行卡查询 through the API: an application sees its members' bound cards — the 对私户 a member
 * verified and signed for at onboarding (已签约), the 对公户 bound by small deposit, the card of a
 * 平台代开户 member that has not signed yet (未签约) — filtered by kind, signing and keyword; never
 * another application's.
 */
import request from 'supertest';
import { depositAmountOf } from '../../activities/channel/corporate-account';
import { cardNumber, idNumber, withConsent } from '../../test/support/fixtures';
import { eventually, fileHarness, signedInTenant, smsCodeFor, uniquePhone, createVerifiedEnterprise } from '../../test/support/harness';

describe('银行卡查询', () => {
  const h = fileHarness();

  /** A person onboarded through the product: four-element verified card, bound phone, signed agreement. */
  async function onboardIndividual(agent: request.Agent, bizUserId: string, name: string) {
    const created = await agent.post('/api/members').send({ type: 'INDIVIDUAL', bizUserId, name });
    const token = created.body.link.url.split('/onboard/')[1] as string;
    const member = request.agent(h.app.app);
    await member.get(`/api/onboarding/${token}`).expect(200);
    const card = cardNumber('621700');
    const phone = uniquePhone();
    await member
      .post(`/api/onboarding/${token}/real-name`)
      .send(withConsent({ name, idNumber: idNumber(), cardNumber: card, phone }))
      .expect(200);
    const beforeBinding = new Date();
    await member.post(`/api/onboarding/${token}/phone-code`).send({ source: 'ON_FILE' }).expect(200);
    const beforeSigning = new Date();
    await member
      .post(`/api/onboarding/${token}/phone-binding`)
      .send({ code: await smsCodeFor(h.config, phone, beforeBinding) })
      .expect(200);
    const signed = await member.post(`/api/onboarding/${token}/agreement-signature`).send({ code: await smsCodeFor(h.config, phone, beforeSigning) });
    expect(signed.body.stage).toBe('COMPLETED');
    return { memberId: created.body.member.id as string, card };
  }

  /** A verified enterprise whose 对公户 is bound through the small-deposit flow. */
  async function enterpriseWithCorporateAccount(agent: request.Agent, applicationId: string) {
    const companyName = '深圳市银行卡查询科技有限公司';
    const company = await createVerifiedEnterprise(h.services, applicationId, companyName);
    const started = await agent
      .post('/api/corporate-accounts')
      .send({ memberId: company.id, accountNo: '4000023409200778899', bankName: '中国建设银行深圳分行', accountName: companyName })
      .expect(201);
    await eventually(
      () => agent.get('/api/corporate-accounts').query({ memberId: company.id }),
      (r) => r.body.items?.[0]?.status === 'AWAITING_CONFIRMATION',
      'the deposit arrived',
    );
    const { depositNo } = await h.services.prisma.corporateAccountVerification.findUniqueOrThrow({ where: { id: started.body.id } });
    const fen = depositAmountOf(h.services.crypto, depositNo);
    await agent
      .post(`/api/corporate-accounts/${started.body.id}/confirmation`)
      .send({ amount: `0.${String(fen).padStart(2, '0')}` })
      .expect(200);
    return company;
  }

  it('lists 对公户 and 对私户 with their signing state, filters them, and shows no other application’s', async () => {
    const { tenant, agent } = await signedInTenant(h);
    const person = await onboardIndividual(agent, 'bc-1', '沈一');
    const company = await enterpriseWithCorporateAccount(agent, tenant.application.id);
    // 平台代开户: its card verified and stored, the member not yet confirmed nor signed.
    const proxied = await agent
      .post('/api/members/proxy')
      .send({
        type: 'INDIVIDUAL',
        bizUserId: 'bc-2',
        realName: { name: '代开会员', idNumber: idNumber(), cardNumber: cardNumber('621700'), phone: uniquePhone() },
      })
      .expect(201);
    const unsigned = { id: proxied.body.member.id as string };

    const all = await agent.get('/api/bank-cards').expect(200);
    expect(all.body.total).toBe(3);
    const byMember = Object.fromEntries((all.body.items as { memberId: string; signedAt: string | null }[]).map((c) => [c.memberId, c]));
    expect(byMember[person.memberId]).toMatchObject({
      bizUserId: 'bc-1',
      memberType: 'INDIVIDUAL',
      corporate: false,
      cardNumber: `${person.card.slice(0, 6)}${'*'.repeat(person.card.length - 10)}${person.card.slice(-4)}`,
      signed: true,
    });
    expect(byMember[person.memberId]?.signedAt).not.toBeNull();
    expect(byMember[company.id]).toMatchObject({
      memberType: 'ENTERPRISE',
      corporate: true,
      bankName: '中国建设银行深圳分行',
      reservedPhone: null,
      signed: false,
    });
    expect(byMember[unsigned.id]).toMatchObject({ corporate: false, signed: false, signedAt: null });
    // Nothing in the clear.
    expect(JSON.stringify(all.body)).not.toContain(person.card);

    const ids = (r: request.Response) => (r.body.items as { memberId: string }[]).map((c) => c.memberId).sort();
    expect(ids(await agent.get('/api/bank-cards').query({ kind: 'CORPORATE' }))).toEqual([company.id]);
    expect(ids(await agent.get('/api/bank-cards').query({ kind: 'PERSONAL' }))).toEqual([person.memberId, unsigned.id].sort());
    expect(ids(await agent.get('/api/bank-cards').query({ signed: 'true' }))).toEqual([person.memberId]);
    expect(ids(await agent.get('/api/bank-cards').query({ signed: 'false', kind: 'PERSONAL' }))).toEqual([unsigned.id]);
    expect(ids(await agent.get('/api/bank-cards').query({ keyword: '8899' }))).toEqual([company.id]);
    expect(ids(await agent.get('/api/bank-cards').query({ keyword: '沈一' }))).toEqual([person.memberId]);
    expect(ids(await agent.get('/api/bank-cards').query({ keyword: 'bc-1' }))).toEqual([person.memberId]);
    // A keyword is text, not a pattern.
    expect((await agent.get('/api/bank-cards').query({ keyword: '%' })).body.total).toBe(0);
    const paged = await agent.get('/api/bank-cards').query({ pageSize: 2, page: 2 });
    expect([paged.body.total, paged.body.items.length]).toEqual([3, 1]);

    const wrong = await agent.get('/api/bank-cards').query({ kind: 'SAVINGS', signed: 'yes' });
    expect([wrong.status, wrong.body.error.id]).toEqual([400, 'request.invalid']);
    expect(wrong.body.error.fields.map((f: { message: string }) => f.message)).toEqual(
      expect.arrayContaining(['账户类型须为对公户或对私户', '签约状态须为 true 或 false']),
    );

    const other = await signedInTenant(h);
    expect((await other.agent.get('/api/bank-cards')).body).toMatchObject({ total: 0, items: [] });
  });
});
