import request from 'supertest';
import { cardNumber, creditCode, idNumber, PNG_1X1, withConsent } from '../../test/support/fixtures';
import { outboxWait, smsCodeFor, uniquePhone, fileHarness, signedInTenant } from '../../test/support/harness';

describe('平台代开户 (proxy onboarding) through the API (real Postgres, Temporal, twilio)', () => {
  const h = fileHarness();

  const platform = () => signedInTenant(h);

  const confirmationSms = (phone: string, after: Date) =>
    outboxWait(h.config, (m) => m.channel === 'sms' && m.to === `+86${phone}` && m.body.includes('代办') && new Date(m.receivedAt) >= after, 15_000);

  it('an individual entered by the platform confirms by the SMS link, binds the phone and signs', async () => {
    const { tenant, agent } = await platform();
    const phone = uniquePhone();
    const t = new Date();
    const created = await agent.post('/api/members/proxy').send({
      type: 'INDIVIDUAL',
      bizUserId: 'p-1001',
      realName: { name: '李晓红', idNumber: idNumber(), cardNumber: cardNumber('621700'), phone },
    });
    expect(created.status).toBe(201);
    expect(created.body.member.onboardings[0]).toMatchObject({ mode: 'PROXY', stage: 'CONFIRMATION' });
    const sms = await confirmationSms(phone, t);
    const token = /\/onboard\/([A-Za-z0-9_-]{32})/.exec(sms.body)![1]!;
    expect(created.body.link.url.endsWith(token)).toBe(true);

    // The member's phone: a device that has not proved itself sees nothing until it does.
    const member = request.agent(h.app.app);
    let view = await member.get(`/api/onboarding/${token}`);
    expect(view.body).toMatchObject({ stage: 'CONFIRMATION', deviceVerified: false, entered: null });
    const t1 = new Date();
    await member.post(`/api/onboarding/${token}/device-code`);
    view = await member.post(`/api/onboarding/${token}/device-verification`).send({ code: await smsCodeFor(h.config, phone, t1) });
    expect(view.body.entered.realName.name).toBe('李晓红');

    const t2 = new Date();
    // The member confirms with its own consent to what the platform entered (PIPL).
    expect((await member.post(`/api/onboarding/${token}/confirmation`).send({})).body.error.fields[0].path).toBe('consent');
    view = await member.post(`/api/onboarding/${token}/confirmation`).send(withConsent({}));
    expect(view.status).toBe(200);
    expect(view.body.stage).toBe('PHONE_BINDING');
    expect((await h.services.prisma.personalInfoConsent.findMany({ where: { memberId: created.body.member.id } })).map((c) => c.source)).toEqual([
      'MEMBER_CONFIRMATION',
    ]);
    // Confirming sends the binding code to the phone on file by itself.
    const bindCode = await smsCodeFor(h.config, phone, t2);
    const t3 = new Date();
    view = await member.post(`/api/onboarding/${token}/phone-binding`).send({ code: bindCode });
    expect(view.body.stage).toBe('AGREEMENT_SIGNING');
    view = await member
      .post(`/api/onboarding/${token}/agreement-signature`)
      .set('User-Agent', 'proxy-phone/2.0')
      .send({ code: await smsCodeFor(h.config, phone, t3) });
    expect(view.body.stage).toBe('COMPLETED');

    const detail = await agent.get(`/api/members/${created.body.member.id}`);
    expect(detail.body.status).toBe('NORMAL');
    expect(detail.body.onboardings[0].history.map((e: { stage: string }) => e.stage)).toEqual([
      'CONFIRMATION',
      'PHONE_BINDING',
      'AGREEMENT_SIGNING',
      'COMPLETED',
    ]);
    const agreement = await h.services.prisma.agreement.findFirstOrThrow({ where: { memberId: created.body.member.id } });
    expect(agreement).toMatchObject({ kind: 'MEMBER_SERVICE', signerName: null, userAgent: 'proxy-phone/2.0', applicationId: tenant.application.id });
    expect(h.services.crypto.decrypt(agreement.signerNameEnc!)).toBe('李晓红'); // the signer's name is stored encrypted
    expect(agreement.smsChallengeId).not.toBeNull();
  });

  it('a failed four-element verification, a missing photo or a duplicate number creates nothing', async () => {
    const { tenant, agent } = await platform();
    const bad = await agent.post('/api/members/proxy').send({
      type: 'INDIVIDUAL',
      bizUserId: 'p-2001',
      realName: { name: '赵建国', idNumber: idNumber(), cardNumber: cardNumber('6222040000'), phone: uniquePhone() },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatchObject({ id: 'verification.failed', details: { element: 'phone' } });

    const data = {
      type: 'ENTERPRISE',
      bizUserId: 'p-2002',
      company: { name: '深圳代开户科技有限公司', creditCode: creditCode(), address: '深圳市南山区', businessScope: '软件开发' },
      legalRepresentative: { name: '张法人', idNumber: idNumber(), phone: uniquePhone() },
    };
    const missing = await agent
      .post('/api/members/proxy')
      .field('data', JSON.stringify(data))
      .attach('businessLicence', PNG_1X1, 'licence.png')
      .attach('idFront', PNG_1X1, 'front.png');
    expect(missing.status).toBe(400);
    expect(missing.body.error.id).toBe('upload.missing');
    const notImage = await agent
      .post('/api/members/proxy')
      .field('data', JSON.stringify(data))
      .attach('businessLicence', Buffer.from('%PDF-1.4'), 'licence.pdf')
      .attach('idFront', PNG_1X1, 'front.png')
      .attach('idBack', PNG_1X1, 'back.png');
    expect(notImage.status).toBe(415);
    // 企业四要素: a company the register shows as revoked (吊销) cannot open an account.
    const revoked = await agent
      .post('/api/members/proxy')
      .field('data', JSON.stringify({ ...data, company: { ...data.company, name: '深圳已吊销科技有限公司' } }))
      .attach('businessLicence', PNG_1X1, 'licence.png')
      .attach('idFront', PNG_1X1, 'front.png')
      .attach('idBack', PNG_1X1, 'back.png');
    expect([revoked.status, revoked.body.error?.id]).toEqual([422, 'verification.enterprise_failed']);
    expect(revoked.body.error.message).toContain('吊销');
    expect(await h.services.prisma.member.count({ where: { applicationId: tenant.application.id } })).toBe(0);

    const t = new Date();
    const ok = await agent
      .post('/api/members/proxy')
      .field('data', JSON.stringify(data))
      .attach('businessLicence', PNG_1X1, 'licence.png')
      .attach('idFront', PNG_1X1, 'front.png')
      .attach('idBack', PNG_1X1, 'back.png');
    expect(ok.status).toBe(201);
    await confirmationSms(data.legalRepresentative.phone, t);
    expect(await h.services.prisma.upload.count({ where: { memberId: ok.body.member.id } })).toBe(3);
    const dup = await agent
      .post('/api/members/proxy')
      .field('data', JSON.stringify(data))
      .attach('businessLicence', PNG_1X1, 'a.png')
      .attach('idFront', PNG_1X1, 'b.png')
      .attach('idBack', PNG_1X1, 'c.png');
    expect(dup.status).toBe(409);
    expect(await h.services.prisma.member.count({ where: { applicationId: tenant.application.id } })).toBe(1);
  });

  it('rotating a proxy link sends the confirmation SMS again with the new link; the old one is dead', async () => {
    const { agent } = await platform();
    const phone = uniquePhone();
    const t = new Date();
    const created = await agent.post('/api/members/proxy').send({
      type: 'INDIVIDUAL',
      bizUserId: 'p-3001',
      realName: { name: '陈美玲', idNumber: idNumber(), cardNumber: cardNumber('621700'), phone },
    });
    const first = /\/onboard\/([A-Za-z0-9_-]{32})/.exec((await confirmationSms(phone, t)).body)![1]!;
    await new Promise((r) => setTimeout(r, 20));
    const t2 = new Date();
    const rotated = await agent.post(`/api/members/${created.body.member.id}/onboarding/link`);
    expect(rotated.status).toBe(200);
    const second = /\/onboard\/([A-Za-z0-9_-]{32})/.exec((await confirmationSms(phone, t2)).body)![1]!;
    expect(second).not.toBe(first);
    expect(rotated.body.link.url.endsWith(second)).toBe(true);
    expect((await request(h.app.app).get(`/api/onboarding/${first}`)).status).toBe(404);
  });
});
