import request from 'supertest';
import { maskPhone } from '../../domain/masking';
import { createTenant, outboxMessages, signIn, uniquePhone, testNow, fileHarness } from '../../test/support/harness';
import { eventually } from '../../test/support/eventually';

describe("login and the account's own password", () => {
  const h = fileHarness();

  async function account(opts: { mustChangePassword?: boolean; phone?: string } = {}) {
    const t = await createTenant(h.services);
    await h.services.prisma.user.update({
      where: { id: t.user.id },
      data: {
        mustChangePassword: opts.mustChangePassword ?? false,
        ...(opts.phone ? { phoneEnc: h.services.crypto.encrypt(opts.phone), phoneMasked: maskPhone(opts.phone) } : {}),
      },
    });
    return t;
  }
  const login = (username: string, password: string) => request(h.app.app).post('/api/auth/login').send({ username, password });

  it('an initial password must be changed at first login; the rules and the last five passwords are enforced', async () => {
    const t = await account({ mustChangePassword: true });
    const agent = await signIn(h.app, t.username, t.password);
    expect((await agent.get('/api/auth/me')).body.user.mustChangePassword).toBe(true);
    const blocked = await agent.get('/api/members');
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.id).toBe('auth.password_change_required');

    const wrong = await agent.post('/api/auth/password').send({ currentPassword: 'nope', newPassword: 'Better#2026' });
    expect(wrong.body.error.id).toBe('auth.password_wrong');
    for (const [weak, message] of [
      ['short1A', '密码至少8位'],
      ['alllowercase', '至少三类'],
      ['12345678', '至少三类'],
    ] as const) {
      const res = await agent.post('/api/auth/password').send({ currentPassword: t.password, newPassword: weak });
      expect(res.status).toBe(422);
      expect(res.body.error.id).toBe('auth.password_weak');
      expect(res.body.error.message).toContain(message);
    }
    const same = await agent.post('/api/auth/password').send({ currentPassword: t.password, newPassword: t.password });
    expect(same.body.error.id).toBe('auth.password_reused');

    // Five changes; none of the last five may come back, the sixth-oldest may.
    const passwords = [t.password, 'Pass#0001', 'Pass#0002', 'Pass#0003', 'Pass#0004', 'Pass#0005'];
    for (let i = 1; i < passwords.length; i++) {
      await agent
        .post('/api/auth/password')
        .send({ currentPassword: passwords[i - 1], newPassword: passwords[i] })
        .expect(200);
    }
    expect((await agent.get('/api/members')).status).toBe(200);
    const reused = await agent.post('/api/auth/password').send({ currentPassword: 'Pass#0005', newPassword: 'Pass#0001' });
    expect(reused.body.error.id).toBe('auth.password_reused');
    await agent.post('/api/auth/password').send({ currentPassword: 'Pass#0005', newPassword: t.password }).expect(200);
    const user = await h.services.prisma.user.findUniqueOrThrow({ where: { id: t.user.id }, include: { passwordHistory: true } });
    expect(user.mustChangePassword).toBe(false);
    expect(user.passwordHistory).toHaveLength(4);
    expect(user.passwordHash).not.toContain(t.password);
    expect(await h.services.prisma.auditLog.count({ where: { actorId: t.user.id, action: 'auth.password_changed' } })).toBe(6);
  });

  it('five wrong passwords lock the account; the right one is refused while locked; the lock ends by itself', async () => {
    const t = await account();
    for (let i = 0; i < 4; i++) expect((await login(t.username, 'Wrong#pass1')).body.error.id).toBe('auth.invalid_credentials');
    const locked = await login(t.username, 'Wrong#pass1');
    expect(locked.status).toBe(423);
    expect(locked.body.error.id).toBe('auth.locked');
    expect(locked.body.error.message).toContain('忘记密码');
    expect((await login(t.username, t.password)).status).toBe(423);
    await h.services.prisma.rateLimitCounter.update({
      where: { key: `login-lock:${t.username.toLowerCase()}` },
      data: { resetAt: new Date(testNow().getTime() - 1000) },
    });
    await login(t.username, t.password).expect(200);
    const actions = (await h.services.prisma.auditLog.findMany({ where: { actorId: t.user.id }, orderBy: { at: 'asc' } })).map((a) => a.action);
    expect(actions).toEqual(['auth.login_failed', 'auth.login_failed', 'auth.login_failed', 'auth.login_failed', 'auth.locked', 'auth.login']);
  });

  it('an unknown account name answers exactly like a real one: 401 four times, then 423 with the same message', async () => {
    const t = await account();
    const ghost = `no-such-${t.username}`;
    const answers = async (name: string) => {
      const out: { status: number; id: string }[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await login(name, 'Wrong#pass1');
        out.push({ status: res.status, id: res.body.error.id });
      }
      return out;
    };
    const real = await answers(t.username);
    expect(await answers(ghost)).toEqual(real);
    expect(real.map((a) => a.status)).toEqual([401, 401, 401, 401, 423, 423]);
  });

  it('parallel wrong passwords are all counted (no lost update): eight at once lock the account', async () => {
    const t = await account();
    const answers = await Promise.all(Array.from({ length: 8 }, () => login(t.username, 'Wrong#pass1')));
    expect(answers.filter((a) => a.status === 401)).toHaveLength(4);
    expect(answers.filter((a) => a.status === 423)).toHaveLength(4);
    expect((await login(t.username, t.password)).status).toBe(423);
  });

  it('the login limit counts failures only: a user who signs in often is never refused', async () => {
    const t = await account();
    for (let i = 0; i < 14; i++) await login(t.username, t.password).expect(200);
    // A success is taken back off the count once its answer is sent: the last one may still be on its way.
    const key = `login:${t.username.trim().toLowerCase()}`;
    const counter = await eventually(
      () => h.services.prisma.rateLimitCounter.findUnique({ where: { key } }),
      (c) => (c?.hits ?? 0) === 0,
      'the successful logins taken off the count',
      5_000,
    );
    expect(counter?.hits ?? 0).toBe(0);
  });

  it('a reset refused for reusing a password leaves the SMS code unspent', async () => {
    const phone = uniquePhone();
    const t = await account({ phone });
    const anon = request(h.app.app);
    await anon.post('/api/auth/password-reset/code').send({ username: t.username }).expect(202);
    let code: string | undefined;
    for (let i = 0; i < 50 && !code; i++) {
      const sms = (await outboxMessages(h.config)).find((m) => m.to === `+86${phone}` && m.body.includes('重置登录密码'));
      code = /验证码(\d{6})/.exec(sms?.body ?? '')?.[1];
      if (!code) await new Promise((r) => setTimeout(r, 100));
    }
    // Without the right code the answer says nothing about earlier passwords.
    const probe = await anon
      .post('/api/auth/password-reset')
      .send({ username: t.username, code: code === '000000' ? '111111' : '000000', newPassword: t.password });
    expect(probe.body.error.id).toBe('auth.reset_invalid');
    const reused = await anon.post('/api/auth/password-reset').send({ username: t.username, code, newPassword: t.password });
    expect(reused.body.error.id).toBe('auth.password_reused');
    await anon.post('/api/auth/password-reset').send({ username: t.username, code, newPassword: 'Fresh#2027x' }).expect(200);
    await login(t.username, 'Fresh#2027x').expect(200);
  });

  it('forgot password: the same answer for any account; the code to the registered phone resets and unlocks, once', async () => {
    const phone = uniquePhone();
    const t = await account({ phone });
    for (let i = 0; i < 5; i++) await login(t.username, 'Wrong#pass1');
    expect((await login(t.username, t.password)).status).toBe(423);

    const anon = request(h.app.app);
    const known = await anon.post('/api/auth/password-reset/code').send({ username: t.username });
    const unknown = await anon.post('/api/auth/password-reset/code').send({ username: 'no-such-account' });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);

    let code: string | undefined;
    for (let i = 0; i < 50 && !code; i++) {
      const sms = (await outboxMessages(h.config)).find((m) => m.to === `+86${phone}` && m.body.includes('重置登录密码'));
      code = /验证码(\d{6})/.exec(sms?.body ?? '')?.[1];
      if (!code) await new Promise((r) => setTimeout(r, 100));
    }
    expect(code).toBeDefined();
    const wrongCode = await anon
      .post('/api/auth/password-reset')
      .send({ username: t.username, code: code === '000000' ? '111111' : '000000', newPassword: 'Reset#2026' });
    expect(wrongCode.body.error.id).toBe('auth.reset_invalid');
    const nobody = await anon.post('/api/auth/password-reset').send({ username: 'no-such-account', code, newPassword: 'Reset#2026' });
    expect(nobody.body.error).toEqual(wrongCode.body.error);
    const weak = await anon.post('/api/auth/password-reset').send({ username: t.username, code, newPassword: 'weak' });
    expect(weak.body.error.id).toBe('auth.password_weak');
    await anon.post('/api/auth/password-reset').send({ username: t.username, code, newPassword: 'Reset#2026' }).expect(200);
    await login(t.username, 'Reset#2026').expect(200);
    const again = await anon.post('/api/auth/password-reset').send({ username: t.username, code, newPassword: 'Again#2026' });
    expect(again.body.error.id).toBe('auth.reset_invalid');
    expect(await h.services.prisma.auditLog.count({ where: { actorId: t.user.id, action: 'auth.password_reset' } })).toBe(1);
  });

  it('limits reset-code requests per account name', async () => {
    const anon = request(h.app.app);
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await anon.post('/api/auth/password-reset/code').send({ username: 'limited-account' })).status);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    const bad = await anon.post('/api/auth/password-reset').send({ username: 'x', code: '12ab', newPassword: 'Abcdefg1' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error)).toContain('验证码为6位数字');
  });

  it("a new password ends the user's other sessions; a sign-in lasts at most 12 hours", async () => {
    const t = await account();
    const laptop = await signIn(h.app, t.username, t.password);
    const phone = await signIn(h.app, t.username, t.password);
    await laptop.post('/api/auth/password').send({ currentPassword: t.password, newPassword: 'Fresh#2026' }).expect(200);
    expect((await laptop.get('/api/members')).status).toBe(200);
    const ended = await phone.get('/api/members');
    expect(ended.status).toBe(401);
    expect(ended.body.error.id).toBe('auth.required');

    // Twelve hours after signing in, the session ends however active it was.
    await h.services.prisma
      .$executeRaw`UPDATE "session" SET sess = jsonb_set(sess::jsonb, '{signedInAt}', to_jsonb((extract(epoch from now()) * 1000 - 12 * 3600 * 1000 - 1000)::bigint))
      WHERE sess->'actor'->>'userId' = ${t.user.id}`;
    const expired = await laptop.get('/api/members');
    expect(expired.status).toBe(401);
    expect(expired.body.error.id).toBe('auth.session_expired');
    expect((await laptop.get('/api/members')).body.error.id).toBe('auth.required');
  });
});
