/**
 * 对公户绑定 through the API with the real workflow and the sandbox payment channel: only the
 * company's own account is taken; the deposit goes out, the enterprise's wrong answer costs a try,
 * the right one binds the account as the member's 对公户; an account the bank refuses fails.
 */
import { depositAmountOf } from '../../activities/channel/corporate-account';
import { createOnboardedMember, eventually, fileHarness, signedInTenant, createVerifiedEnterprise } from '../../test/support/harness';

describe('对公户绑定 by small deposit', () => {
  const h = fileHarness();

  const enterprise = (applicationId: string, companyName = '深圳市对公测试科技有限公司') => createVerifiedEnterprise(h.services, applicationId, companyName);

  it('binds the company’s own account once the enterprise confirms the deposit’s amount', async () => {
    const { tenant, agent } = await signedInTenant(h);
    const company = await enterprise(tenant.application.id);
    const account = {
      memberId: company.id,
      accountNo: '4000 0234 0920 0123 456',
      bankName: '中国工商银行深圳南山支行',
      accountName: '深圳市对公测试科技有限公司',
    };

    // Someone else's name, or a person instead of a company: refused, nothing sent.
    const otherName = await agent.post('/api/corporate-accounts').send({ ...account, accountName: '张三' });
    expect([otherName.status, otherName.body.error?.id]).toEqual([422, 'corporate_account.name_mismatch']);
    const person = await createOnboardedMember(h.services, tenant.application.id);
    const notCompany = await agent.post('/api/corporate-accounts').send({ ...account, memberId: person.id });
    expect(notCompany.body.error?.id).toBe('corporate_account.not_enterprise');
    expect((await agent.post('/api/corporate-accounts').send({ ...account, accountNo: '12ab' })).body.error?.id).toBe('request.invalid');

    const started = await agent.post('/api/corporate-accounts').send(account);
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ accountNo: '400002*********3456', status: 'DEPOSITING', triesLeft: 3 });
    const again = await agent.post('/api/corporate-accounts').send(account);
    expect(again.body.error?.id).toBe('corporate_account.in_progress');

    const arrived = await eventually(
      () => agent.get('/api/corporate-accounts').query({ memberId: company.id }),
      (r) => r.body.items?.[0]?.status === 'AWAITING_CONFIRMATION',
      'the deposit arrived',
    );
    expect(arrived.body.items[0].confirmBy).not.toBeNull();
    const { depositNo } = await h.services.prisma.corporateAccountVerification.findUniqueOrThrow({ where: { id: started.body.id } });
    const received = depositAmountOf(h.services.crypto, depositNo); // what the enterprise reads on its statement
    // The sandbox's bank statement shows it (the sandbox user's only way to know it), by the account's last digits.
    const statement = await fetch(`${h.config.PAYMENT_CHANNEL_URL}/sandbox/statement`, { headers: { accept: 'application/json' } });
    const { lines } = (await statement.json()) as { lines: { depositNo: string; accountTail: string; amountFen: string }[] };
    expect(lines.find((l) => l.depositNo === depositNo)).toMatchObject({ accountTail: '3456', amountFen: String(received) });
    const page = await fetch(`${h.config.PAYMENT_CHANNEL_URL}/sandbox/statement`);
    expect(await page.text()).toContain(`<td>****3456</td><td>0.${String(received).padStart(2, '0')}</td><td>${depositNo}</td>`);
    const wrongFen = received === 1 ? 2 : received - 1;

    expect((await agent.post(`/api/corporate-accounts/${started.body.id}/confirmation`).send({ amount: '1.50' })).body.error?.id).toBe('request.invalid');
    const wrong = await agent.post(`/api/corporate-accounts/${started.body.id}/confirmation`).send({ amount: `0.${String(wrongFen).padStart(2, '0')}` });
    expect([wrong.status, wrong.body.error?.id, wrong.body.error?.details]).toEqual([422, 'corporate_account.amount_wrong', { triesLeft: 2 }]);
    const right = await agent.post(`/api/corporate-accounts/${started.body.id}/confirmation`).send({ amount: `0.${String(received).padStart(2, '0')}` });
    expect(right.status).toBe(200);
    expect(right.body).toMatchObject({ status: 'VERIFIED', triesLeft: 2 });

    const detail = await agent.get(`/api/members/${company.id}`);
    expect(detail.body.bankCards).toEqual([
      expect.objectContaining({ corporate: true, cardNumber: '400002*********3456', bankName: '中国工商银行深圳南山支行' }),
    ]);
    const card = await h.services.prisma.bankCard.findFirstOrThrow({ where: { memberId: company.id } });
    expect(card).toMatchObject({ corporate: true, bankName: '中国工商银行深圳南山支行', reservedPhoneEnc: null });
    expect(h.services.crypto.decrypt(card.holderNameEnc)).toBe('深圳市对公测试科技有限公司');
    expect((await agent.post('/api/corporate-accounts').send(account)).body.error?.id).toBe('corporate_account.already_bound');
    const audits = await h.services.prisma.auditLog.findMany({ where: { target: started.body.id }, orderBy: { at: 'asc' } });
    expect(audits.map((a) => a.action)).toEqual(['corporate_account.bind', 'corporate_account.confirm', 'corporate_account.confirm']);
    expect(JSON.stringify(audits)).not.toContain(String(received / 100));
  });

  it('fails when the bank refuses the deposit, binding nothing', async () => {
    const { tenant, agent } = await signedInTenant(h);
    const company = await enterprise(tenant.application.id, '深圳市退款测试有限公司');
    // The sandbox channel refuses a deposit to an account ending 0044.
    const started = await agent
      .post('/api/corporate-accounts')
      .send({ memberId: company.id, accountNo: '6228480000120044', bankName: '中国农业银行深圳分行', accountName: '深圳市退款测试有限公司' })
      .expect(201);
    const failed = await eventually(
      () => agent.get('/api/corporate-accounts').query({ memberId: company.id }),
      (r) => r.body.items?.[0]?.status === 'FAILED',
      'the refused deposit',
    );
    expect(failed.body.items[0]).toMatchObject({ id: started.body.id, failureReason: '收款账户不存在或户名不符' });
    const late = await agent.post(`/api/corporate-accounts/${started.body.id}/confirmation`).send({ amount: '0.12' });
    expect(late.body.error?.id).toBe('flow.finished');
    expect(await h.services.prisma.bankCard.count({ where: { memberId: company.id } })).toBe(0);
  });
});
