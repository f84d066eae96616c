/**
 * 撤回个人信息处理授权 (PIPL Art. 15) recorded by the platform on the member's request: the consents
 * are marked withdrawn with the reason, the member's detail says so, a second withdrawal is refused,
 * and the member can no longer be onboarded again; audited.
 */
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { cardNumber, idNumber, withConsent } from '../../test/support/fixtures';
import { fileHarness, signedInTenant, uniquePhone } from '../../test/support/harness';

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
      consents: [{ source: 'MEMBER_PAGE', sourceLabel: '会员开户页勾选', version: '2026-12', withdrawnAt: null }],
    });

    expect((await agent.post(`/api/members/${memberId}/consent-withdrawal`).send({ reason: '' })).body.error.id).toBe('request.invalid');
    const withdrawn = await agent.post(`/api/members/${memberId}/consent-withdrawal`).send({ reason: '会员来电要求撤回授权' }).expect(200);
    expect(withdrawn.body.personalInformation.withdrawnAt).not.toBeNull();
    expect(withdrawn.body.personalInformation.consents[0].withdrawnAt).not.toBeNull();
    const stored = await h.services.prisma.personalInfoConsent.findFirstOrThrow({ where: { memberId } });
    expect(stored.withdrawReason).toBe('会员来电要求撤回授权');

    const again = await agent.post(`/api/members/${memberId}/consent-withdrawal`).send({ reason: '再次撤回' });
    expect([again.status, again.body.error.id]).toEqual([409, 'consent.already_withdrawn']);
    // Its onboarding is cancelled by the platform; a new one is refused.
    await h.services.prisma.onboardingSession.updateMany({ where: { memberId }, data: { stage: 'CANCELLED' } });
    const reissue = await agent.post(`/api/members/${memberId}/onboarding`);
    expect([reissue.status, reissue.body.error.id]).toEqual([409, 'consent.withdrawn']);
    const audits = await h.services.prisma.auditLog.findMany({ where: { action: 'member.consent.withdraw', target: `member:${memberId}` } });
    expect(audits.map((a) => a.actorId)).toEqual([tenant.user.id]);
    // Another application cannot record it for this member.
    const other = await signedInTenant(h);
    expect((await other.agent.post(`/api/members/${memberId}/consent-withdrawal`).send({ reason: '冒名撤回' })).body.error.id).toBe('member.not_found');
  });
});
