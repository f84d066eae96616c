import { memberOnboardingWorkflow } from '../../workflows/member-onboarding/messages';
import request from 'supertest';
import { cardNumber, creditCode, idNumber, PNG_1X1, withConsent } from '../../test/support/fixtures';
import { consentTextHash } from '../../lib/business/consents';
import { createTenant, outboxMessages, outboxWait, signIn, smsCodeFor, uniquePhone, fileHarness, signedInTenant } from '../../test/support/harness';

describe('member onboarding through the API (real Postgres, Temporal, SMTP, twilio)', () => {
  const h = fileHarness();

  const platform = () => signedInTenant(h);

  function tokenOf(url: string): string {
    return url.split('/onboard/')[1]!;
  }

  it('when an individual goes through all three stages, the member is normal, the agreement is signed and the platform is mailed', async () => {
    const { tenant, agent } = await platform();
    const created = await agent.post('/api/members').send({ type: 'INDIVIDUAL', bizUserId: 'u-1001', name: '王小明' });
    expect(created.status).toBe(201);
    expect(created.body.link.url).toMatch(/\/onboard\/[A-Za-z0-9_-]{32}$/);
    expect(created.body.link.qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(created.body.link.qrCode.split(',')[1], 'base64').toString()).toContain('<svg');
    const token = tokenOf(created.body.link.url);
    const member = request.agent(h.app.app); // the member's phone browser

    let view = await member.get(`/api/onboarding/${token}`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ stage: 'INFORMATION', nextStep: 'REAL_NAME', deviceVerified: true });

    const phone = uniquePhone();
    const card = cardNumber('621700');
    const realName = { name: '王小明', idNumber: idNumber(), cardNumber: card, phone };
    // PIPL: the step that collects sensitive personal information takes the member's separate consent.
    const unconsented = await member.post(`/api/onboarding/${token}/real-name`).send(realName);
    expect([unconsented.status, unconsented.body.error.id]).toEqual([400, 'request.invalid']);
    expect(unconsented.body.error.fields).toEqual([
      expect.objectContaining({ path: 'consent', message: '请阅读《个人信息收集告知》并勾选敏感个人信息处理授权' }),
    ]);
    const outdated = await member.post(`/api/onboarding/${token}/real-name`).send({ ...realName, consent: { version: '2020-01', sensitive: true } });
    expect(outdated.body.error.fields[0].message).toContain('个人信息收集告知已更新');
    view = await member.post(`/api/onboarding/${token}/real-name`).set('user-agent', 'consent-test-browser').send(withConsent(realName));
    expect(view.status).toBe(200);
    const consents = await h.services.prisma.personalInfoConsent.findMany({ where: { memberId: created.body.member.id } });
    expect(consents).toEqual([
      expect.objectContaining({ source: 'MEMBER_PAGE', version: '2026-12', textHash: consentTextHash(), userAgent: 'consent-test-browser', withdrawnAt: null }),
    ]);
    expect(consents[0]!.ip).not.toBeNull();
    expect(view.body.stage).toBe('PHONE_BINDING');
    expect(view.body.entered.realName.cardNumber).toBe(`${card.slice(0, 6)}*********${card.slice(-4)}`);
    expect(JSON.stringify(view.body)).not.toContain(card);

    const beforeCode = new Date();
    const sent = await member.post(`/api/onboarding/${token}/phone-code`).send({ source: 'ON_FILE' });
    expect(sent.status).toBe(200);
    expect(sent.body.codes.phoneBinding.sentTo).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
    const bindCode = await smsCodeFor(h.config, phone, beforeCode);

    const beforeSigning = new Date();
    view = await member.post(`/api/onboarding/${token}/phone-binding`).send({ code: bindCode });
    expect(view.status).toBe(200);
    expect(view.body.stage).toBe('AGREEMENT_SIGNING');
    // Binding success starts signing by itself: the signing code is already on its way.
    const signCode = await smsCodeFor(h.config, phone, beforeSigning);
    expect(signCode).not.toBe(bindCode);

    view = await member.post(`/api/onboarding/${token}/agreement-signature`).send({ code: signCode });
    expect(view.status).toBe(200);
    expect(view.body.stage).toBe('COMPLETED');

    const detail = await agent.get(`/api/members/${created.body.member.id}`);
    expect(detail.body).toMatchObject({ status: 'NORMAL', boundPhone: `${phone.slice(0, 3)}****${phone.slice(-4)}` });
    expect(detail.body.agreements).toHaveLength(1);
    expect(detail.body.onboardings[0].history.map((e: { stage: string }) => e.stage)).toEqual([
      'INFORMATION',
      'PHONE_BINDING',
      'AGREEMENT_SIGNING',
      'COMPLETED',
    ]);
    const mail = await outboxWait(h.config, (m) => m.channel === 'mail' && m.to.includes(tenant.application.contactEmail));
    expect(mail.subject).toContain('会员开户完成');

    // Sensitive values are encrypted at rest.
    const row = await h.services.prisma.bankCard.findFirstOrThrow({ where: { memberId: created.body.member.id } });
    expect(row.cardNumberEnc).not.toContain(card);
    expect(h.services.crypto.decrypt(row.cardNumberEnc)).toBe(card);

    const again = await member.post(`/api/onboarding/${token}/agreement-signature`).send({ code: signCode });
    expect(again.status).toBe(409);
    expect(again.body.error.id).toBe('onboarding.completed');

    // A completed link says only that: no data, no device check, and no SMS to the member's phone.
    const stranger = request.agent(h.app.app);
    const finished = await stranger.get(`/api/onboarding/${token}`);
    expect(finished.body).toMatchObject({ stage: 'COMPLETED', deviceVerified: false, verificationPhone: null, entered: null, codes: null });
    expect((await member.get(`/api/onboarding/${token}`)).body).toMatchObject({ stage: 'COMPLETED', entered: null });
    const smsBefore = (await outboxMessages(h.config)).filter((m) => m.to === `+86${phone}`).length;
    const code = await stranger.post(`/api/onboarding/${token}/device-code`);
    expect(code.status).toBe(409);
    expect(code.body.error.id).toBe('onboarding.completed');
    expect((await stranger.post(`/api/onboarding/${token}/device-verification`).send({ code: signCode })).body.error.id).toBe('onboarding.completed');
    expect((await outboxMessages(h.config)).filter((m) => m.to === `+86${phone}`)).toHaveLength(smsBefore);
  });

  it('when the member stops after stage 1 and opens the link on another device, it proves itself by SMS and continues where it stopped', async () => {
    const { agent } = await platform();
    const created = await agent.post('/api/members').send({ type: 'INDIVIDUAL', bizUserId: 'u-resume', name: '李雷' });
    const token = tokenOf(created.body.link.url);
    const firstDevice = request.agent(h.app.app);
    const phone = uniquePhone();
    await firstDevice.get(`/api/onboarding/${token}`);
    await firstDevice
      .post(`/api/onboarding/${token}/real-name`)
      .send(withConsent({ name: '李雷', idNumber: idNumber('19851111', '456'), cardNumber: cardNumber('621483'), phone }))
      .expect(200);

    const secondDevice = request.agent(h.app.app);
    let view = await secondDevice.get(`/api/onboarding/${token}`);
    expect(view.body).toMatchObject({ stage: 'PHONE_BINDING', deviceVerified: false, entered: null });
    expect(view.body.verificationPhone).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
    const blocked = await secondDevice.post(`/api/onboarding/${token}/phone-code`).send({ source: 'ON_FILE' });
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.id).toBe('onboarding.device_unverified');

    const before = new Date();
    await secondDevice.post(`/api/onboarding/${token}/device-code`).expect(200);
    const code = await smsCodeFor(h.config, phone, before);
    const wrong = await secondDevice.post(`/api/onboarding/${token}/device-verification`).send({ code: code === '000000' ? '111111' : '000000' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error).toMatchObject({ id: 'sms.code_wrong', details: { remainingTries: 4 } });
    view = await secondDevice.post(`/api/onboarding/${token}/device-verification`).send({ code });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ stage: 'PHONE_BINDING', deviceVerified: true });
    expect(view.body.entered.realName.name).toBe('李雷');
    // The code was used: it trusts no third device.
    const thirdDevice = request.agent(h.app.app);
    await thirdDevice.get(`/api/onboarding/${token}`);
    const reused = await thirdDevice.post(`/api/onboarding/${token}/device-verification`).send({ code });
    expect(reused.status).toBe(422);
    expect(reused.body.error.id).toBe('sms.code_used');
    expect((await thirdDevice.get(`/api/onboarding/${token}`)).body).toMatchObject({ deviceVerified: false, entered: null });

    // The first device still works; the code cooldown is per onboarding and purpose.
    await firstDevice.post(`/api/onboarding/${token}/phone-code`).send({ source: 'ON_FILE' }).expect(200);
    const tooSoon = await secondDevice.post(`/api/onboarding/${token}/phone-code`).send({ source: 'ON_FILE' });
    expect(tooSoon.status).toBe(429);
    expect(tooSoon.body.error.id).toBe('sms.cooldown');
    expect(tooSoon.body.error.details.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('onboards an enterprise: company, legal representative, licence uploads, then an authorised phone', async () => {
    const { agent } = await platform();
    const created = await agent.post('/api/members').send({ type: 'ENTERPRISE', bizUserId: 'c-2001', name: '深圳市示例科技有限公司' });
    const token = tokenOf(created.body.link.url);
    const member = request.agent(h.app.app);
    await member.get(`/api/onboarding/${token}`).expect(200);
    await member
      .post(`/api/onboarding/${token}/company`)
      .send({ name: '深圳市示例科技有限公司', creditCode: creditCode(), address: '深圳市南山区科技园', businessScope: '软件开发；信息技术服务' })
      .expect(200);
    const legalPhone = uniquePhone();
    await member
      .post(`/api/onboarding/${token}/legal-representative`)
      .send(withConsent({ name: '赵四', idNumber: idNumber('19700101', '789'), phone: legalPhone }))
      .expect(200);

    const ids: Record<string, string> = {};
    for (const kind of ['BUSINESS_LICENCE', 'ID_FRONT', 'ID_BACK']) {
      const up = await member.post(`/api/onboarding/${token}/uploads`).field('kind', kind).attach('file', PNG_1X1, 'photo.png');
      expect(up.status).toBe(201);
      ids[kind] = up.body.id;
    }
    const notImage = await member
      .post(`/api/onboarding/${token}/uploads`)
      .field('kind', 'ID_BACK')
      .attach('file', Buffer.from('%PDF-1.4 not an image'), 'licence.png');
    expect(notImage.status).toBe(415);
    expect(notImage.body.error.id).toBe('upload.wrong_type');
    const tooLarge = await member
      .post(`/api/onboarding/${token}/uploads`)
      .field('kind', 'ID_BACK')
      .attach('file', Buffer.concat([PNG_1X1, Buffer.alloc(5 * 1024 * 1024)]), 'big.png');
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error.id).toBe('upload.too_large');

    let view = await member
      .post(`/api/onboarding/${token}/licences`)
      .send({ businessLicenceUploadId: ids.BUSINESS_LICENCE, idFrontUploadId: ids.ID_FRONT, idBackUploadId: ids.ID_BACK });
    expect(view.status).toBe(200);
    expect(view.body.stage).toBe('PHONE_BINDING');
    expect(view.body.entered.phoneOnFile).toBe(`${legalPhone.slice(0, 3)}****${legalPhone.slice(-4)}`);

    const authorised = uniquePhone();
    const before = new Date();
    await member.post(`/api/onboarding/${token}/phone-code`).send({ source: 'AUTHORISED', phone: authorised }).expect(200);
    const code = await smsCodeFor(h.config, authorised, before);
    const beforeSigning = new Date();
    view = await member.post(`/api/onboarding/${token}/phone-binding`).send({ code });
    expect(view.body.stage).toBe('AGREEMENT_SIGNING');
    expect(view.body.entered.boundPhone).toBe(`${authorised.slice(0, 3)}****${authorised.slice(-4)}`);
    const signCode = await smsCodeFor(h.config, authorised, beforeSigning);
    expect(signCode).toMatch(/^\d{6}$/);
  });

  it('verifies an enterprise by 企业四要素 at 法人信息: a wrong representative stays, a wrong company goes back to 企业基本信息', async () => {
    // The sandbox vendor's business register knows this company (a credit code no other test uses).
    const registered = {
      companyName: '深圳市核验科技有限公司',
      creditCode: creditCode('91440300QY01'),
      legalRepresentative: '孙八',
      legalIdNumber: idNumber('19750505', '246'),
    };
    await fetch(`${h.config.VERIFIER_URL}/sandbox/enterprises`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(registered),
    }).then((r) => expect(r.status).toBe(201));
    const { agent } = await platform();
    const created = await agent.post('/api/members').send({ type: 'ENTERPRISE', bizUserId: 'c-verify', name: registered.companyName });
    const token = tokenOf(created.body.link.url);
    const member = request.agent(h.app.app);
    await member.get(`/api/onboarding/${token}`).expect(200);
    const company = { name: '深圳市合验科技有限公司', creditCode: registered.creditCode, address: '深圳市福田区', businessScope: '软件开发' };
    await member.post(`/api/onboarding/${token}/company`).send(company).expect(200);
    const legal = { name: registered.legalRepresentative, idNumber: registered.legalIdNumber, phone: uniquePhone() };

    // The company's name differs from the register: the member enters the company again.
    const wrongCompany = await member.post(`/api/onboarding/${token}/legal-representative`).send(withConsent(legal));
    expect([wrongCompany.status, wrongCompany.body.error?.id]).toEqual([422, 'verification.enterprise_failed']);
    expect(wrongCompany.body.error.details).toMatchObject({ element: 'companyName', step: 'COMPANY' });
    expect(wrongCompany.body.error.message).toContain('企业名称与工商登记不一致');
    expect((await member.get(`/api/onboarding/${token}`)).body).toMatchObject({ nextStep: 'COMPANY', stepsDone: [] });
    const memberId = created.body.member.id as string;
    expect((await h.services.prisma.member.findUniqueOrThrow({ where: { id: memberId } })).realNameVerifiedAt).toBeNull();
    await member
      .post(`/api/onboarding/${token}/company`)
      .send({ ...company, name: registered.companyName })
      .expect(200);

    // The representative's ID number differs: the member stays at 法人信息.
    const wrongPerson = await member
      .post(`/api/onboarding/${token}/legal-representative`)
      .send(withConsent({ ...legal, idNumber: idNumber('19750505', '247') }));
    expect(wrongPerson.body.error).toMatchObject({ id: 'verification.enterprise_failed', details: { element: 'legalIdNumber', step: 'LEGAL_REPRESENTATIVE' } });
    expect((await member.get(`/api/onboarding/${token}`)).body).toMatchObject({ nextStep: 'LEGAL_REPRESENTATIVE', stepsDone: ['COMPANY'] });

    const passed = await member.post(`/api/onboarding/${token}/legal-representative`).send(withConsent(legal));
    expect(passed.status).toBe(200);
    expect(passed.body.nextStep).toBe('LICENCES');
    const verified = await h.services.prisma.member.findUniqueOrThrow({ where: { id: memberId } });
    expect(verified).toMatchObject({ companyName: registered.companyName, creditCode: registered.creditCode });
    expect(verified.realNameVerifiedAt).not.toBeNull();
  });

  it('tells which element failed four-element verification and keeps the member at information collection', async () => {
    const { agent } = await platform();
    const created = await agent.post('/api/members').send({ type: 'INDIVIDUAL', bizUserId: 'u-badphone', name: '韩梅梅' });
    const token = tokenOf(created.body.link.url);
    const member = request.agent(h.app.app);
    const res = await member
      .post(`/api/onboarding/${token}/real-name`)
      .send(withConsent({ name: '韩梅梅', idNumber: idNumber(), cardNumber: cardNumber('6222040000'), phone: uniquePhone() }));
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ id: 'verification.failed', details: { element: 'phone' } });
    expect(res.body.error.message).toContain('手机号');
    const view = await member.get(`/api/onboarding/${token}`);
    expect(view.body.stage).toBe('INFORMATION');
    expect(await h.services.prisma.bankCard.count({ where: { memberId: created.body.member.id } })).toBe(0);
  });

  it('rejects each bad input with a stable error id and a Chinese message, writing nothing', async () => {
    const { agent } = await platform();
    const created = await agent.post('/api/members').send({ type: 'INDIVIDUAL', bizUserId: 'u-bad', name: '张三' });
    const token = tokenOf(created.body.link.url);
    const member = request.agent(h.app.app);
    const good = { name: '张三', idNumber: idNumber(), cardNumber: cardNumber(), phone: uniquePhone() };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...good, idNumber: good.idNumber.slice(0, 17) + (good.idNumber.endsWith('1') ? '2' : '1') }, '身份证号码不正确'],
      [{ ...good, cardNumber: '6217001234567890123' }, '银行卡号不正确'],
      [{ ...good, phone: '12345678901' }, '手机号格式不正确'],
      [{ ...good, name: undefined }, '请输入姓名'],
    ];
    for (const [body, message] of cases) {
      const res = await member.post(`/api/onboarding/${token}/real-name`).send(withConsent(body));
      expect(res.status).toBe(400);
      expect(res.body.error.id).toBe('request.invalid');
      expect(res.body.error.message).toContain(message);
    }
    const badCode = await member.post(`/api/onboarding/${token}/phone-binding`).send({ code: '12ab' });
    expect(badCode.body.error).toMatchObject({ id: 'request.invalid', message: '短信验证码为6位数字' });
    const wrongStage = await member.post(`/api/onboarding/${token}/phone-binding`).send({ code: '123456' });
    expect(wrongStage.status).toBe(409);
    expect(wrongStage.body.error.id).toBe('onboarding.wrong_stage');
    const malformed = await member.post(`/api/onboarding/${token}/real-name`).set('content-type', 'application/json').send('{"name":');
    expect(malformed.body.error.id).toBe('request.invalid');
    const badUploadLink = await member.post('/api/onboarding/not-a-token/uploads').field('kind', 'ID_BACK').attach('file', PNG_1X1, 'a.png');
    expect(badUploadLink.status).toBe(400);
    expect(badUploadLink.body.error).toMatchObject({ id: 'request.invalid', message: '开户链接无效' });
    const unknown = await member.get(`/api/onboarding/${'x'.repeat(32)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.id).toBe('onboarding.link_invalid');
    const m = await h.services.prisma.member.findUniqueOrThrow({ where: { id: created.body.member.id } });
    expect(m.idNumberEnc).toBeNull();
  });

  it('enterprise input rules: credit code checksum and step order', async () => {
    const { agent } = await platform();
    const created = await agent.post('/api/members').send({ type: 'ENTERPRISE', bizUserId: 'c-bad', name: '某公司' });
    const token = tokenOf(created.body.link.url);
    const member = request.agent(h.app.app);
    const code = creditCode();
    const bad = await member
      .post(`/api/onboarding/${token}/company`)
      .send({ name: '某某公司', creditCode: code.slice(0, 17) + (code.endsWith('0') ? '1' : '0'), address: '北京市', businessScope: '贸易' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('统一社会信用代码不正确');
    const early = await member
      .post(`/api/onboarding/${token}/legal-representative`)
      .send(withConsent({ name: '钱五', idNumber: idNumber(), phone: uniquePhone() }));
    expect(early.status).toBe(409);
    expect(early.body.error.id).toBe('onboarding.step_order');
  });
});

describe('when no worker runs the workflow', () => {
  const h = fileHarness({ updateTimeoutMs: 1500 });

  it("a member's action fails after a bounded wait with service.unavailable instead of hanging", async () => {
    const tenant = await createTenant(h.services);
    const agent = await signIn(h.app, tenant.username, tenant.password);
    const created = await agent.post('/api/members').send({ type: 'INDIVIDUAL', bizUserId: 'u-noworker', name: '无人值守' });
    const session = await h.services.prisma.onboardingSession.findFirstOrThrow({ where: { memberId: created.body.member.id } });
    // Re-point the session at a workflow on a task queue that no worker polls.
    const orphan = `${session.workflowId}:orphan`;
    await h.temporal.workflow.start(memberOnboardingWorkflow, {
      workflowId: orphan,
      taskQueue: 'no-worker-polls-this',
      args: [
        {
          sessionId: session.id,
          memberId: session.memberId,
          applicationId: session.applicationId,
          memberType: 'INDIVIDUAL',
          mode: 'SELF_SERVICE',
          expiresAt: session.expiresAt.toISOString(),
        },
      ],
    });
    await h.services.prisma.onboardingSession.update({ where: { id: session.id }, data: { workflowId: orphan } });
    const token = created.body.link.url.split('/onboard/')[1];
    const res = await request(h.app.app)
      .post(`/api/onboarding/${token}/real-name`)
      .send(withConsent({ name: '无人值守', idNumber: idNumber(), cardNumber: cardNumber(), phone: uniquePhone() }));
    expect(res.status).toBe(503);
    expect(res.body.error).toEqual({ id: 'service.unavailable', message: '服务暂不可用，请稍后重试' });
    await h.temporal.workflow.getHandle(orphan).terminate('test cleanup');
  });
});

describe('link expiry and re-issue (real workflow timer, shortened validity)', () => {
  const h = fileHarness({ linkValidityMs: 4000 });

  it('when the link outlives its validity it is dead, the workflow ended as expired, and the platform can issue a new one', async () => {
    const tenant = await createTenant(h.services);
    const agent = await signIn(h.app, tenant.username, tenant.password);
    const created = await agent.post('/api/members').send({ type: 'INDIVIDUAL', bizUserId: 'u-exp', name: '过期用户' });
    const memberId = created.body.member.id as string;
    const token = created.body.link.url.split('/onboard/')[1];
    const member = request.agent(h.app.app);
    await member.get(`/api/onboarding/${token}`).expect(200);

    const stillActive = await agent.post(`/api/members/${memberId}/onboarding`);
    expect(stillActive.status).toBe(409);
    expect(stillActive.body.error.id).toBe('onboarding.still_active');

    const workflowId = created.body.member.onboardings[0].workflowId as string;
    const outcome = await h.temporal.workflow.getHandle(workflowId).result();
    expect(outcome).toBe('EXPIRED');

    const dead = await member.get(`/api/onboarding/${token}`);
    expect(dead.status).toBe(410);
    expect(dead.body.error).toMatchObject({ id: 'onboarding.link_expired' });
    let detail = await agent.get(`/api/members/${memberId}`);
    expect(detail.body.status).toBe('EXPIRED');
    expect(detail.body.onboardings[0]).toMatchObject({ stage: 'EXPIRED', waitingFor: 'nobody' });

    const reissued = await agent.post(`/api/members/${memberId}/onboarding`);
    expect(reissued.status).toBe(201);
    const newToken = reissued.body.link.url.split('/onboard/')[1];
    expect(newToken).not.toBe(token);
    const fresh = await member.get(`/api/onboarding/${newToken}`);
    expect(fresh.status).toBe(200);
    expect(fresh.body.stage).toBe('INFORMATION');
    detail = await agent.get(`/api/members/${memberId}`);
    expect(detail.body.status).toBe('PENDING');
    expect(detail.body.onboardings.map((o: { attempt: number }) => o.attempt)).toEqual([2, 1]);
  });
});
