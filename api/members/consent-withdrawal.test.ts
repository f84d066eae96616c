/**
 * 撤回个人信息处理授权 (PIPL Art. 15) recorded by the platform on the member's request: the consents
 * are marked withdrawn with the reason, the member's running onboarding and 对公户 verification end,
 * the member's detail says so, a second withdrawal is refused, and the member can no longer be
 * onboarded again; audited with the flows it ended.
 */
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { cardNumber, idNumber, withConsent } from '../../test/support/fixtures';
import { createVerifiedEnterprise, eventually, fileHarness, signedInTenant, uniquePhone } from '../../test/support/harness';

describe('撤回个人信息处理授权', () => {
  const h = fileHarness();

  it('marks every consent withdrawn, shows it on 会员详情, refuses a second time and any new onboarding', async () => {
    const { tenant, agent } = await signedInTenant(h);
    const created = await agent.post('/api/members').send({ type: 'INDIVIDUAL', bizUserId: `cw-${randomUUID().slice(0, 6)}`, name: '卫撤回' });
    const memberId = created.body.member.id as string;
    const token = created.body.link.url.split('/onboard/')[1] as string;
    const member = request.agent(h.app.app);
    await member.get(`/api/onboarding/${token}`).expect(200);
    await member
      .post(`/api/onboarding/${token}/real-name`)
      .send(withConsent({ name: '卫撤回', idNumber: idNumber(), cardNumber: cardNumber('621700'), phone: uniquePhone() }))
      .expect(200);

    const before = (await agent.get(`/api/members/${memberId}`).expect(200)).body.personalInformation;
    expect(before).toMatchObject({
      withdrawnAt: null,
      consents: [{ source: 'MEMBER_PAGE', sourceLabel: '会员开户页勾选', version: '2026-12', textVerified: true, withdrawnAt: null }],
    });
    // A row whose fingerprint is not its version's released text is shown as such.
    const recorded = await h.services.prisma.personalInfoConsent.findFirstOrThrow({ where: { memberId } });
    await h.services.prisma.personalInfoConsent.update({ where: { id: recorded.id }, data: { textHash: 'f'.repeat(64) } });
    expect((await agent.get(`/api/members/${memberId}`).expect(200)).body.personalInformation.consents[0].textVerified).toBe(false);
    await h.services.prisma.personalInfoConsent.update({ where: { id: recorded.id }, data: { textHash: recorded.textHash } });

    expect((await agent.post(`/api/members/${memberId}/consent-withdrawal`).send({ reason: '' })).body.error.id).toBe('request.invalid');
    const withdrawn = await agent.post(`/api/members/${memberId}/consent-withdrawal`).send({ reason: '会员来电要求撤回授权' }).expect(200);
    expect(withdrawn.body.personalInformation.withdrawnAt).not.toBeNull();
    expect(withdrawn.body.personalInformation.consents[0].withdrawnAt).not.toBeNull();
    const stored = await h.services.prisma.personalInfoConsent.findFirstOrThrow({ where: { memberId } });
    expect(stored.withdrawReason).toBe('会员来电要求撤回授权');

    const again = await agent.post(`/api/members/${memberId}/consent-withdrawal`).send({ reason: '再次撤回' });
    expect([again.status, again.body.error.id]).toEqual([409, 'consent.already_withdrawn']);
    // Its onboarding, stopped at 绑定手机, ended with the withdrawal as the reason; the link no longer opens it.
    const session = await eventually(
      () => h.services.prisma.onboardingSession.findFirstOrThrow({ where: { memberId }, include: { events: { orderBy: { at: 'asc' } } } }),
      (s) => s.stage === 'CANCELLED',
      'the onboarding cancelled',
    );
    expect(session.events.at(-1)?.note).toBe('已取消：会员撤回个人信息处理授权：会员来电要求撤回授权');
    const page = await member.get(`/api/onboarding/${token}`);
    expect([page.status, page.body.error?.id]).toEqual([410, 'onboarding.link_expired']);
    const reissue = await agent.post(`/api/members/${memberId}/onboarding`);
    expect([reissue.status, reissue.body.error.id]).toEqual([409, 'consent.withdrawn']);
    const audits = await h.services.prisma.auditLog.findMany({ where: { action: 'member.consent.withdraw', target: `member:${memberId}` } });
    expect(audits.map((a) => [a.actorId, (a.detail as { flowsEnded: string[] }).flowsEnded])).toEqual([[tenant.user.id, [session.workflowId]]]);
    // Another application cannot record it for this member.
    const other = await signedInTenant(h);
    expect((await other.agent.post(`/api/members/${memberId}/consent-withdrawal`).send({ reason: '冒名撤回' })).body.error.id).toBe('member.not_found');
  });

  it('ends an enterprise’s 对公户 verification waiting for the deposit’s amount', async () => {
    const { tenant, agent } = await signedInTenant(h);
    const company = await createVerifiedEnterprise(h.services, tenant.application.id, '深圳市撤回授权科技有限公司');
    const started = await agent
      .post('/api/corporate-accounts')
      .send({ memberId: company.id, accountNo: '4000 0234 0920 0765 432', bankName: '中国工商银行深圳南山支行', accountName: '深圳市撤回授权科技有限公司' })
      .expect(201);
    await eventually(
      () => agent.get('/api/corporate-accounts').query({ memberId: company.id }),
      (r) => r.body.items?.[0]?.status === 'AWAITING_CONFIRMATION',
      'the deposit arrived',
    );
    await agent.post(`/api/members/${company.id}/consent-withdrawal`).send({ reason: '企业要求撤回授权' }).expect(200);
    await eventually(
      () => agent.get('/api/corporate-accounts').query({ memberId: company.id }),
      (r) => r.body.items?.[0]?.status === 'CANCELLED',
      'the verification cancelled',
    );
    // Its amount can no longer be confirmed, and no new verification starts.
    const confirm = await agent.post(`/api/corporate-accounts/${started.body.id}/confirmation`).send({ amount: '0.01' });
    expect([confirm.status, confirm.body.error?.message]).toEqual([409, '该对公户验证已取消，不能确认打款金额']);
    const again = await agent
      .post('/api/corporate-accounts')
      .send({ memberId: company.id, accountNo: '4000 0234 0920 0765 432', bankName: '中国工商银行深圳南山支行', accountName: '深圳市撤回授权科技有限公司' });
    expect(again.body.error?.id).toBe('consent.withdrawn');
  });
});
