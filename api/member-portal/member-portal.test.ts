import request from 'supertest';
import { businessDay } from '../../domain/ledger';
import { seedLedger } from '../../lib/dev-stack/ledger-seed';
import { binaryBody, createOnboardedMember, createTenant, smsCodeFor, uniquePhone, fileHarness } from '../../test/support/harness';

describe('会员门户: first login, one phone one member, phone login, my information and movements', () => {
  const h = fileHarness();

  /** A phone bound to two verified members of a post-settlement application, and to one of a real-time one. */
  async function phoneWithMembers() {
    const phone = uniquePhone();
    const post = await createTenant(h.services);
    const realtime = await createTenant(h.services, 'APPLICATION', 'REALTIME_SETTLEMENT');
    const a = await createOnboardedMember(h.services, post.application.id, { phone, name: '会员甲' });
    const b = await createOnboardedMember(h.services, post.application.id, { phone, name: '会员乙' });
    const other = await createOnboardedMember(h.services, post.application.id, { name: '会员丙' });
    const unverified = await createOnboardedMember(h.services, post.application.id, { phone, name: '未实名会员' });
    const rt = await createOnboardedMember(h.services, realtime.application.id, { phone, name: '实时结算会员' });
    await h.services.prisma.member.updateMany({ where: { id: { in: [a.id, b.id, other.id, rt.id] } }, data: { realNameVerifiedAt: new Date() } });
    await seedLedger(h.services, { appNo: post.application.appNo, days: 3, ordersPerDay: 30 });
    return { phone, post, a, b, other, unverified };
  }

  async function proveFirstLogin(agent: ReturnType<typeof request.agent>, phone: string) {
    const after = new Date();
    await agent.post('/api/member-portal/first-login/code').send({ phone }).expect(202);
    const code = await smsCodeFor(h.config, phone, after);
    return { ...(await agent.post('/api/member-portal/first-login/verify').send({ phone, code }).expect(200)).body, code };
  }

  it("first login lists the phone's eligible members; one is set up with a password, the other with phone login; set-up ones are not selectable", async () => {
    const { phone, a, b } = await phoneWithMembers();
    const agent = request.agent(h.app.app);
    // Setting up before the phone is proven is refused.
    expect((await agent.post('/api/member-portal/first-login/setup').send({ memberId: a.id, mode: 'PHONE' }).expect(403)).body.error.id).toBe(
      'member_portal.verify_phone_first',
    );
    const choices = await proveFirstLogin(agent, phone);
    expect(choices.members.map((m: { name: string; setUp: boolean }) => [m.name, m.setUp])).toEqual([
      ['会员甲', false],
      ['会员乙', false],
    ]);
    expect(choices.phoneLoginTaken).toBe(false);

    const weak = await agent
      .post('/api/member-portal/first-login/setup')
      .send({ memberId: a.id, mode: 'PASSWORD', username: 'memberjia', password: 'weak' })
      .expect(422);
    expect(weak.body.error.id).toBe('auth.password_weak');
    const mine = await agent
      .post('/api/member-portal/first-login/setup')
      .send({ memberId: a.id, mode: 'PASSWORD', username: 'memberjia', password: 'Jia#2026pw' })
      .expect(201);
    expect(mine.body).toEqual({ login: { method: 'PASSWORD', username: 'memberjia' }, member: { name: '会员甲' } });
    // Set up, the member is sent back to the login page: not signed in by the set-up itself.
    await agent.get('/api/member-portal/me').expect(401);

    // The same browser goes on (the proof lasts 10 minutes): 会员甲 shows as set up and cannot be set up twice; 会员乙 takes phone login.
    const again = (await agent.get('/api/member-portal/first-login/members').expect(200)).body;
    expect(again.members.map((m: { name: string; setUp: boolean }) => [m.name, m.setUp])).toEqual([
      ['会员甲', true],
      ['会员乙', false],
    ]);
    expect((await agent.post('/api/member-portal/first-login/setup').send({ memberId: a.id, mode: 'PHONE' }).expect(409)).body.error.id).toBe(
      'member_portal.already_set_up',
    );
    await agent.post('/api/member-portal/first-login/setup').send({ memberId: b.id, mode: 'PHONE' }).expect(201);
    expect((await agent.get('/api/member-portal/first-login/members').expect(200)).body.phoneLoginTaken).toBe(true);
    // A code signs in once: a second browser cannot reuse it.
    const other = request.agent(h.app.app);
    expect((await other.post('/api/member-portal/first-login/verify').send({ phone, code: choices.code }).expect(401)).body.error.id).toBe(
      'member_portal.login_failed',
    );

    // The username+password login is the portal's ordinary login.
    const byPassword = request.agent(h.app.app);
    const signedIn = await byPassword.post('/api/auth/login').send({ username: 'memberjia', password: 'Jia#2026pw' }).expect(200);
    expect(signedIn.body.user.role).toBe('MEMBER');
    expect((await byPassword.get('/api/member-portal/me').expect(200)).body.member.name).toBe('会员甲');
    // The member withdraws its consent itself (PIPL Art. 15): recorded once, audited as the member's.
    expect((await byPassword.get('/api/member-portal/me')).body.personalInformation.withdrawnAt).toBeNull();
    const withdrawn = await byPassword.post('/api/member-portal/consent-withdrawal').send({ reason: '不再使用该平台' }).expect(200);
    expect(withdrawn.body.personalInformation.withdrawnAt).not.toBeNull();
    expect((await byPassword.post('/api/member-portal/consent-withdrawal').send({ reason: '不再使用该平台' })).body.error.id).toBe('consent.already_withdrawn');
    expect(await h.services.prisma.auditLog.count({ where: { action: 'member.consent.withdraw', target: `member:${a.id}`, actorRole: 'MEMBER' } })).toBe(1);
    // Members see nothing of the application's portal.
    expect((await byPassword.get('/api/members')).status).toBe(403);
    // 忘记密码 works for a member's username too: the code goes to its bound phone.
    const resetAfter = new Date();
    await request(h.app.app).post('/api/auth/password-reset/code').send({ username: 'memberjia' }).expect(202);
    const resetCode = await smsCodeFor(h.config, phone, resetAfter);
    await request(h.app.app).post('/api/auth/password-reset').send({ username: 'memberjia', code: resetCode, newPassword: 'Jia#2026new' }).expect(200);
    await request(h.app.app).post('/api/auth/login').send({ username: 'memberjia', password: 'Jia#2026new' }).expect(200);
  });

  it('one phone is the login phone of at most one member, even when two set-ups race', async () => {
    const { phone, a, b } = await phoneWithMembers();
    const agent = request.agent(h.app.app);
    await proveFirstLogin(agent, phone);
    // Two set-ups at once (two tabs of the proven browser): the database decides, one wins.
    const [r1, r2] = await Promise.all([
      agent.post('/api/member-portal/first-login/setup').send({ memberId: a.id, mode: 'PHONE' }),
      agent.post('/api/member-portal/first-login/setup').send({ memberId: b.id, mode: 'PHONE' }),
    ]);
    expect([r1.status, r2.status].sort()).toEqual([201, 409]);
    expect([r1.body.error?.id, r2.body.error?.id].filter(Boolean)).toEqual(['member_portal.phone_login_taken']);
    const digest = h.services.crypto.digest('phone', phone);
    expect(await h.services.prisma.user.count({ where: { loginPhoneDigest: digest } })).toBe(1);
  });

  it("phone login by SMS code; other members' data stay out of reach; movements and their download", async () => {
    const { phone, a, other } = await phoneWithMembers();
    const setup = request.agent(h.app.app);
    await proveFirstLogin(setup, phone);
    await setup.post('/api/member-portal/first-login/setup').send({ memberId: a.id, mode: 'PHONE' }).expect(201);

    const agent = request.agent(h.app.app);
    // The answer for a phone that logs in nobody is the answer for one that does; a malformed phone is a 400.
    const unknown = (await agent.post('/api/member-portal/phone-login/code').send({ phone: uniquePhone() }).expect(202)).body;
    expect((await agent.post('/api/member-portal/phone-login/code').send({ phone: '1380000' }).expect(400)).body.error.message).toContain('手机号');
    const after = new Date();
    const known = (await agent.post('/api/member-portal/phone-login/code').send({ phone }).expect(202)).body;
    expect(known).toEqual(unknown);
    const code = await smsCodeFor(h.config, phone, after);
    expect(
      (
        await agent
          .post('/api/member-portal/phone-login')
          .send({ phone, code: code === '000000' ? '111111' : '000000' })
          .expect(401)
      ).body.error.id,
    ).toBe('member_portal.login_failed');
    const me = (await agent.post('/api/member-portal/phone-login').send({ phone, code }).expect(200)).body;
    expect(me).toMatchObject({ login: { method: 'PHONE' }, member: { name: '会员甲' } });
    expect((await agent.get('/api/auth/me').expect(200)).body.user).toMatchObject({ role: 'MEMBER', hasPassword: false });
    const payment = me.accounts.find((x: { kind: string }) => x.kind === 'PAYMENT');
    expect(me.accounts.map((x: { kind: string }) => x.kind).sort()).toEqual(['BOOKKEEPING', 'PAYMENT', 'PENDING_SETTLEMENT']);

    // The list opens on this month (by the app's clock); a range covering the seeded days shows every movement.
    const today = businessDay(h.services.clock.now());
    const thisMonth = (await agent.get(`/api/member-portal/accounts/${payment.id}/movements`).query({ pageSize: 100 }).expect(200)).body;
    expect(thisMonth.total).toBe(await h.services.prisma.movement.count({ where: { accountId: payment.id, businessDay: { gte: `${today.slice(0, 7)}-01` } } }));
    const own = await h.services.prisma.movement.count({ where: { accountId: payment.id } });
    expect(own).toBeGreaterThan(0);
    const from = businessDay(new Date(h.services.clock.now().getTime() - 4 * 86_400_000));
    const all = (await agent.get(`/api/member-portal/accounts/${payment.id}/movements`).query({ from, to: today, pageSize: 100 }).expect(200)).body;
    expect(all.total).toBe(own);
    const file = await agent.get(`/api/member-portal/accounts/${payment.id}/movements/export`).buffer(true).parse(binaryBody).expect(200);
    expect((file.body as Buffer).subarray(0, 2).toString('latin1')).toBe('PK'); // an XLSX
    expect(decodeURIComponent(String(file.headers['content-disposition']))).toContain('账户明细');

    const foreign = await h.services.prisma.account.findFirstOrThrow({ where: { memberId: other.id } });
    expect((await agent.get(`/api/member-portal/accounts/${foreign.id}/movements`).expect(404)).body.error.id).toBe('account.not_found');
  });
});
