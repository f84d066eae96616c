import { hash } from '@node-rs/argon2';
import request from 'supertest';
import { maskPhone } from '../../domain/masking';
import { createTenant, outboxMessages, signIn, uniquePhone, fileHarness } from '../../test/support/harness';

describe('service provider account management', () => {
  const h = fileHarness();

  /** An application with a registered phone, and a user of its service provider. */
  async function providerWithApplication() {
    const t = await createTenant(h.services);
    const phone = uniquePhone();
    await h.services.prisma.user.update({ where: { id: t.user.id }, data: { phoneEnc: h.services.crypto.encrypt(phone), phoneMasked: maskPhone(phone) } });
    const username = `sp-${t.application.appNo}`;
    await h.services.prisma.user.create({
      data: {
        username,
        passwordHash: await hash('Provider#2026'),
        role: 'SERVICE_PROVIDER',
        displayName: '服务商',
        serviceProviderId: t.application.serviceProviderId,
      },
    });
    return { t, phone, provider: await signIn(h.app, username, 'Provider#2026') };
  }

  it("lists its applications and resets one's password: a new initial password by SMS, to be changed at next login", async () => {
    const { t, phone, provider } = await providerWithApplication();
    // Locked by wrong passwords first: the reset unlocks it.
    for (let i = 0; i < 5; i++) await request(h.app.app).post('/api/auth/login').send({ username: t.username, password: 'Wrong#pass1' });
    const list = await provider.get('/api/provider/applications').expect(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({
        appNo: t.application.appNo,
        accounts: [expect.objectContaining({ username: t.username, phone: maskPhone(phone), locked: true })],
      }),
    ]);
    const reset = await provider.post(`/api/provider/applications/${t.application.id}/password-reset`).expect(200);
    expect(reset.body).toEqual({ appNo: t.application.appNo, sentTo: maskPhone(phone) });
    const sms = (await outboxMessages(h.config)).find((m) => m.to === `+86${phone}` && m.body.includes('初始密码'))!;
    const initial = /初始密码：(\S{8})，/.exec(sms.body)![1]!;
    expect((await request(h.app.app).post('/api/auth/login').send({ username: t.username, password: t.password })).status).toBe(401);
    const agent = await signIn(h.app, t.username, initial);
    expect((await agent.get('/api/members')).body.error.id).toBe('auth.password_change_required');
    await agent.post('/api/auth/password').send({ currentPassword: initial, newPassword: 'Mine#2026x' }).expect(200);
    expect((await agent.get('/api/members')).status).toBe(200);
    const audit = await h.services.prisma.auditLog.findFirst({ where: { action: 'auth.password_reset_by_provider', target: `user:${t.username}` } });
    expect(audit).not.toBeNull();
    // The password is in no table in plain text.
    const row = await h.services.prisma.smsMessage.findFirst({ where: { template: 'PASSWORD_RESET_BY_PROVIDER' }, orderBy: { createdAt: 'desc' } });
    expect(JSON.stringify(row)).not.toContain(initial);
  });

  it("never reaches another provider's application, and others cannot use it", async () => {
    const a = await providerWithApplication();
    const b = await providerWithApplication();
    const res = await a.provider.post(`/api/provider/applications/${b.t.application.id}/password-reset`);
    expect(res.status).toBe(404);
    expect((await a.provider.get('/api/provider/applications')).body.items.map((i: { appNo: string }) => i.appNo)).toEqual([a.t.application.appNo]);
    const platform = await signIn(h.app, a.t.username, a.t.password);
    expect((await platform.get('/api/provider/applications')).status).toBe(403);
    expect((await a.provider.post('/api/provider/applications/not-a-uuid/password-reset')).status).toBe(400);
  });

  it('home lists its applications with their products; 进入应用 acts inside one until 退出应用', async () => {
    const { t, provider } = await providerWithApplication();
    await h.services.prisma.application.update({ where: { id: t.application.id }, data: { cashierMerchantNo: '56058100001A001', liveAt: new Date() } });
    const home = (await provider.get('/api/provider/home').expect(200)).body;
    expect(home.applications).toEqual([
      expect.objectContaining({ appNo: t.application.appNo, live: true, products: ['云商通二代·账后结算', '收银宝微信支付'] }),
    ]);
    expect((await provider.get('/api/members')).status).toBe(403);

    const entered = (await provider.post(`/api/provider/applications/${t.application.id}/enter`).expect(200)).body;
    expect(entered.user).toMatchObject({ role: 'APPLICATION', actingForProvider: true, application: { appNo: t.application.appNo } });
    await provider.get('/api/members').expect(200);
    expect((await provider.get('/api/auth/me').expect(200)).body.user.application.appNo).toBe(t.application.appNo);
    // Inside an application, provider routes are not open: it leaves first.
    expect((await provider.get('/api/provider/home')).status).toBe(403);
    const left = (await provider.post('/api/auth/leave-application').expect(200)).body;
    expect(left.user).toMatchObject({ role: 'SERVICE_PROVIDER', actingForProvider: false, application: null });
    expect((await provider.get('/api/members')).status).toBe(403);
    expect((await provider.post('/api/auth/leave-application').expect(409)).body.error.id).toBe('auth.not_in_application');
    expect(await h.services.prisma.auditLog.count({ where: { action: 'provider.enter_application', target: `application:${t.application.id}` } })).toBe(1);

    const other = await providerWithApplication();
    expect((await provider.post(`/api/provider/applications/${other.t.application.id}/enter`)).status).toBe(404);
  });
});
