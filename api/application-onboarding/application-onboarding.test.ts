import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import type request from 'supertest';
import { createActivities } from '../../activities';
import { maskPhone } from '../../domain/masking';
import { type SandboxVendor, startSandboxVendor } from '../../dev-verifier/vendor';
import { cardNumber, idNumber } from '../../test/support/fixtures';
import { TEST_KEYS } from '../../test/support/infra';
import { type Harness, createTenant, eventually, outboxWait, signIn, startHarness, testNow, uniquePhone } from '../../test/support/harness';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

/** The deployment's test initial password (TEST_INITIAL_PASSWORD of the suite's worker, test/support/infra.ts). */
const TEST_PASSWORD = TEST_KEYS.TEST_INITIAL_PASSWORD;

const proxyMember = (bizUserId: string) => ({
  type: 'INDIVIDUAL',
  bizUserId,
  realName: { name: '李晓红', idNumber: idNumber(), cardNumber: cardNumber('621700'), phone: uniquePhone() },
});

describe('application onboarding and go-live (F7) through the API, with the real worker', () => {
  let h: Harness;
  let testVendor: SandboxVendor;
  let branch: request.Agent;
  let reviewer: request.Agent;
  let colleague: request.Agent;
  let providerId: string;
  beforeAll(async () => {
    // The test environments' own sandbox vendor, apart from production's (VERIFIER_URL).
    testVendor = await startSandboxVendor({ port: 0, secretId: TEST_KEYS.VERIFIER_SECRET_ID, secretKey: TEST_KEYS.VERIFIER_SECRET_KEY });
    h = await startHarness({ config: { TEST_VERIFIER_URL: testVendor.url } });
    const b = await createTenant(h.services, 'REVIEWER');
    const r = await createTenant(h.services, 'REVIEWER');
    providerId = b.application.serviceProviderId;
    branch = await signIn(h.app, b.username, b.password);
    reviewer = await signIn(h.app, r.username, r.password);
    const c = await createTenant(h.services, 'REVIEWER');
    colleague = await signIn(h.app, c.username, c.password);
  });
  afterAll(async () => {
    await h?.stop();
    await testVendor?.stop();
  });

  const customer = (phone: string, scenario: Record<string, unknown> = {}) => ({
    customerName: '星河便利连锁',
    agreementType: 'LIANSUOTONG',
    fundMode: 'POST_SETTLEMENT',
    serviceProviderId: providerId,
    legalRepName: '李四',
    legalRepPhone: phone,
    contactEmail: 'it@xinghe.example',
    scenario: { merchantType: 'ENTERPRISE', online: true, ...scenario },
  });

  function upload(id: string, code: string, file = PDF, name = `${code}.pdf`) {
    return branch.post(`/api/application-onboardings/${id}/materials/${code}`).attach('file', file, name);
  }

  async function decide(subjectTitle: string, approve: boolean, reason: string) {
    const item = await eventually(
      async () => (await reviewer.get('/api/reviews').query({ pageSize: 100 })).body.items.find((i: { title: string }) => i.title === subjectTitle),
      (i) => i,
      `review item ${subjectTitle}`,
    );
    const detail = (await reviewer.get(`/api/reviews/${item.id}`).expect(200)).body;
    await reviewer.post(`/api/reviews/${item.id}/decision`).send({ approve, reason }).expect(200);
    return detail;
  }

  const status = async (id: string) => (await branch.get(`/api/application-onboardings/${id}`).expect(200)).body;
  const until = (id: string, wanted: string) =>
    eventually(
      () => status(id),
      (v) => v.status === wanted,
      `status ${wanted}`,
    );

  it('records a customer, enforces the checklist, and takes it through review, the test environment (its SMS, the deployment’s test password) and go-live (production: own number, random password)', async () => {
    const phone = uniquePhone();
    const created = await branch.post('/api/application-onboardings').send(customer(phone)).expect(201);
    const id = created.body.id;
    expect(created.body).toMatchObject({ status: 'DRAFT', agreement: '《通联支付“连锁通”系统服务合作协议》', legalRepPhone: maskPhone(phone) });
    const required = created.body.checklist
      .filter((m: { required: boolean; stage: string }) => m.required && m.stage === 'ONBOARDING')
      .map((m: { code: string }) => m.code);
    expect(required).toEqual([
      'BUSINESS_LICENCE',
      'LEGAL_REP_ID',
      'ACCOUNT_OPENING_PROOF',
      'PLATFORM_SCREENSHOTS',
      'RISK_RATING_FORM',
      'PRODUCT_APPROVAL_FORM',
    ]);

    // Submitting with material missing names what is missing; go-live material cannot be uploaded yet.
    expect((await upload(id, 'BUSINESS_LICENCE', PNG, '营业执照.png').expect(201)).body).toMatchObject({ fileName: '营业执照.png', mimeType: 'image/png' });
    const early = await branch.post(`/api/application-onboardings/${id}/submission`).expect(422);
    expect(early.body.error.id).toBe('app_onboarding.materials_missing');
    expect(early.body.error.message).toContain('平台相关截图');
    expect((await upload(id, 'TEST_REPORT')).body.error.id).toBe('app_onboarding.wrong_stage');
    expect((await upload(id, 'ICP_FILING')).body.error.id).toBe('app_onboarding.unknown_material'); // not a website
    expect((await upload(id, 'LEGAL_REP_ID', Buffer.from('MZ not a document'), 'id.exe')).body.error.id).toBe('app_onboarding.file_type');

    for (const code of required.slice(1)) await upload(id, code).expect(201);
    await branch.post(`/api/application-onboardings/${id}/submission`).expect(200);
    expect((await branch.post(`/api/application-onboardings/${id}/submission`)).body.error.id).toBe('app_onboarding.wrong_stage');

    // Round 1 returned; the branch adds the screenshot and resubmits.
    const round1 = await decide('云商通产品开通：星河便利连锁', false, '平台截图未到付款界面');
    expect(round1.kindLabel).toBe('云商通产品开通申请');
    expect(round1.material.checklist.find((m: { code: string }) => m.code === 'PLATFORM_SCREENSHOTS').files).toHaveLength(1);
    const returned = await until(id, 'RETURNED');
    expect(returned.returnedReason).toBe('平台截图未到付款界面');
    // 30 days to resubmit, from now on the app's clock (TEST_NOW may put it far from the wall clock).
    expect(Date.parse(returned.resubmitBy) - testNow().getTime()).toBeGreaterThan(29 * 24 * 3600 * 1000);
    await upload(id, 'PLATFORM_SCREENSHOTS', PNG, '付款界面.png').expect(201);
    // A colleague resubmits; the branch user who recorded the customer still may not decide it.
    await colleague.post(`/api/application-onboardings/${id}/submission`).expect(200);
    const round2 = await eventually(
      async () =>
        (await branch.get('/api/reviews').expect(200)).body.items.find((i: { title: string }) => i.title === '云商通产品开通：星河便利连锁（第2次提交）'),
      (i) => i,
      'the second round in the queue',
    );
    expect((await branch.get(`/api/reviews/${round2.id}`).expect(200)).body.ownSubmission).toBe(true);
    expect((await branch.post(`/api/reviews/${round2.id}/decision`).send({ approve: true, reason: '' })).body.error.id).toBe('review.own_submission');
    expect((await colleague.post(`/api/reviews/${round2.id}/decision`).send({ approve: true, reason: '' })).body.error.id).toBe('review.own_submission');

    // Round 2 approved: the test environment and its login exist, the legal representative got its SMS
    // with the number, the deployment's test password and the portal's address.
    const before = new Date();
    await decide('云商通产品开通：星河便利连锁（第2次提交）', true, '同意开通');
    const testing = await until(id, 'TESTING');
    expect(testing.application).toBeNull();
    const testAppNo = testing.testApplication.appNo;
    expect(testAppNo).toMatch(/^\d{7}$/);
    const testSms = await outboxWait(
      h.config,
      (m) => m.to === `+86${phone}` && m.body.includes(`测试应用编号${testAppNo}`) && new Date(m.receivedAt) >= before,
    );
    expect(testSms.body).toContain(`初始密码${TEST_PASSWORD}，登录地址${h.config.PUBLIC_BASE_URL.replace(/\/+$/, '')}/login，首次登录须修改密码`);
    expect(await h.services.prisma.applicationOnboarding.findUniqueOrThrow({ where: { id } })).toMatchObject({
      pendingTestPasswordEnc: null,
      applicationId: null,
    });
    const testApp = await h.services.prisma.application.findUniqueOrThrow({ where: { appNo: testAppNo } });
    expect(testApp).toMatchObject({ name: '星河便利连锁', fundMode: 'POST_SETTLEMENT', environment: 'TEST', liveAt: null });
    const testPortal = await signIn(h.app, testAppNo, TEST_PASSWORD);
    expect((await testPortal.get('/api/members')).body.error.id).toBe('auth.password_change_required');
    await testPortal.post('/api/auth/password').send({ currentPassword: TEST_PASSWORD, newPassword: 'Xinghe#Test2027' }).expect(200);
    // 测试联调: a member of the test environment is verified at the test environment's sandbox vendor.
    const callsBefore = testVendor.calls();
    await testPortal.post('/api/members/proxy').send(proxyMember('t-1001')).expect(201);
    expect(testVendor.calls()).toBe(callsBefore + 1);

    // Go-live: both documents are required, then reviewed.
    await upload(id, 'GO_LIVE_APPLICATION').expect(201);
    expect((await branch.post(`/api/application-onboardings/${id}/go-live-submission`)).body.error.message).toContain('测试报告');
    await upload(id, 'TEST_REPORT').expect(201);
    await branch.post(`/api/application-onboardings/${id}/go-live-submission`).expect(200);
    const goLive = await decide('上线投产：星河便利连锁', true, '测试报告通过');
    expect(goLive.application.appNo).toBe(testAppNo);
    const live = await until(id, 'LIVE');
    expect(live.reviews.map((r: { status: string }) => r.status)).toEqual(['REJECTED', 'APPROVED', 'APPROVED']);
    // Promotion: the production environment, live, with its own number and a random initial password by SMS.
    const appNo = live.application.appNo;
    expect(appNo).toMatch(/^\d{7}$/);
    expect(appNo).not.toBe(testAppNo);
    expect(live.testApplication.appNo).toBe(testAppNo);
    const sms = await outboxWait(h.config, (m) => m.to === `+86${phone}` && m.body.includes(`生产环境应用编号${appNo}`) && new Date(m.receivedAt) >= before);
    const initial = /初始密码(\S{8})，登录地址/.exec(sms.body)![1]!;
    expect(initial).not.toBe(TEST_PASSWORD);
    const production = await h.services.prisma.application.findUniqueOrThrow({ where: { appNo } });
    expect(production).toMatchObject({ environment: 'PRODUCTION', name: '星河便利连锁', fundMode: 'POST_SETTLEMENT', branchId: testApp.branchId });
    expect(production.liveAt).not.toBeNull();
    expect((await h.services.prisma.application.findUniqueOrThrow({ where: { appNo: testAppNo } })).liveAt).toBeNull();
    expect(await signIn(h.app, appNo, TEST_PASSWORD).catch(() => 'refused')).toBe('refused');
    const productionPortal = await signIn(h.app, appNo, initial);
    expect((await productionPortal.get('/api/members')).body.error.id).toBe('auth.password_change_required');
    await productionPortal.post('/api/auth/password').send({ currentPassword: initial, newPassword: 'Xinghe#Prod2027' }).expect(200);
    // Nothing of the test environment is in production: its member, its keys.
    expect((await productionPortal.get('/api/members').expect(200)).body.total).toBe(0);
    expect((await testPortal.get('/api/members').expect(200)).body.total).toBe(1);
    // Production's members are verified at the deployment's vendor, never the test environment's sandbox.
    const testCalls = testVendor.calls();
    await productionPortal.post('/api/members/proxy').send(proxyMember('p-1001')).expect(201);
    expect(testVendor.calls()).toBe(testCalls);
    expect((await productionPortal.get('/api/members').expect(200)).body.total).toBe(1);
    expect((await testPortal.get('/api/members').expect(200)).body.total).toBe(1);
    // The console's row follows the business row (the workflow reports its stage after marking the application live).
    const flow = await eventually(
      () => h.services.prisma.flowInstance.findUniqueOrThrow({ where: { workflowId: `application-onboarding:${id}` } }),
      (f) => f.closed,
      'the console row of the live application',
    );
    expect(flow).toMatchObject({ flow: 'application-onboarding', stage: 'LIVE', closed: true });
  });

  it('a customer with 小程序B2B门店助手 and 微企付 gets merchants the channel knows in each environment, made once', async () => {
    const created = await branch
      .post('/api/application-onboardings')
      .send(customer(uniquePhone(), { paymentProducts: true, b2bStoreAssistant: true, weiqifu: true }))
      .expect(201);
    expect(created.body.scenarioSummary).toContain('小程序B2B门店助手、微企付');
    const acts = createActivities(h.services);
    const activity = new MockActivityEnvironment({ workflowExecution: { workflowId: `application-onboarding:${created.body.id}`, runId: randomUUID() } });
    type Made = { applicationId: string; appNo: string };
    const test = (await activity.run(acts.activateTestEnvironment, { onboardingId: created.body.id })) as Made;
    expect(await activity.run(acts.activateTestEnvironment, { onboardingId: created.body.id })).toEqual(test);
    const production = (await activity.run(acts.promoteToProduction, { onboardingId: created.body.id })) as Made;
    const merchants = await h.services.prisma.application.findMany({ where: { id: { in: [test.applicationId, production.applicationId] } } });
    const numbers = merchants.map((a) => a.b2bMerchantNo!);
    expect(numbers).toHaveLength(2);
    expect(new Set(numbers).size).toBe(2);
    for (const no of numbers) {
      expect(no).toMatch(/^B2B\d{12}$/);
      expect(await h.services.b2bStoreAssistant.merchant(no)).toMatchObject({ merchantNo: no, status: 'NORMAL', appKeyConfigured: false });
    }
    const weiqifu = merchants.map((a) => a.weiqifuMerchantNo!);
    expect(new Set(weiqifu).size).toBe(2);
    for (const no of weiqifu) {
      expect(no).toMatch(/^WQF\d{12}$/);
      expect(await h.services.weiqifu.balance(no)).toMatchObject({ merchantNo: no });
    }
    const contradiction = await branch
      .post('/api/application-onboardings')
      .send(customer(uniquePhone(), { b2bStoreAssistant: true }))
      .expect(422);
    expect(contradiction.body.error.message).toBe('开通小程序B2B门店助手须同时开通支付产品');
  });

  it('refuses contradictory scenarios, unknown providers and other roles, in Chinese', async () => {
    const bad = await branch
      .post('/api/application-onboardings')
      .send(customer(uniquePhone(), { online: false, website: true }))
      .expect(422);
    expect(bad.body.error).toMatchObject({ id: 'app_onboarding.scenario_invalid', message: '线上网站场景须同时选择线上场景' });
    const provider = await branch
      .post('/api/application-onboardings')
      .send({ ...customer(uniquePhone()), serviceProviderId: '00000000-0000-4000-8000-000000000000' })
      .expect(422);
    expect(provider.body.error.id).toBe('app_onboarding.provider_unknown');
    const phone = await branch.post('/api/application-onboardings').send(customer('12345')).expect(400);
    expect(phone.body.error.message).toContain('手机号');
    const preview = await branch.post('/api/application-onboardings/checklist').send({ merchantType: 'INDIVIDUAL', paymentProducts: true }).expect(200);
    expect(preview.body.items.map((m: { code: string }) => m.code)).toContain('OPERATOR_AT_STOREFRONT_PHOTO');
    const app = await createTenant(h.services);
    const platform = await signIn(h.app, app.username, app.password);
    expect((await platform.get('/api/application-onboardings')).status).toBe(403);
  });
});
