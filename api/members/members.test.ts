import request from 'supertest';
import { createTenant, signIn, startHarness, fileHarness } from '../../test/support/harness';

describe('members API: authorisation, tenant isolation, input rules', () => {
  const h = fileHarness();

  it('refuses anonymous callers and wrong passwords', async () => {
    const anonymous = await request(h.app.app).get('/api/members');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error).toEqual({ id: 'auth.required', message: '请先登录' });
    const tenant = await createTenant(h.services);
    const bad = await request(h.app.app).post('/api/auth/login').send({ username: tenant.username, password: 'wrong' });
    expect(bad.status).toBe(401);
    expect(bad.body.error.id).toBe('auth.invalid_credentials');
    const missing = await request(h.app.app).post('/api/auth/login').send({ username: '' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['password', 'username']);
  });

  it('limits login attempts per account name to 10 in 15 minutes, whether or not the account exists', async () => {
    // A name that does not exist locks after 5 wrong passwords exactly like an account (api/auth/auth.test.ts).
    const name = `nobody-${Date.now()}`;
    const statuses = [];
    for (let i = 0; i < 10; i++) statuses.push((await request(h.app.app).post('/api/auth/login').send({ username: name, password: 'wrong' })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 423, 423, 423, 423, 423, 423]);
    const locked = await request(h.app.app).post('/api/auth/login').send({ username: name, password: 'wrong' });
    expect(locked.status).toBe(429);
    expect(locked.body.error).toEqual({ id: 'auth.too_many_attempts', message: '登录尝试过于频繁，请15分钟后再试' });
    const other = await createTenant(h.services);
    expect((await request(h.app.app).post('/api/auth/login').send({ username: other.username, password: other.password })).status).toBe(200);
  });

  it('an application sees only its own members; another application gets "not found"', async () => {
    const a = await createTenant(h.services);
    const b = await createTenant(h.services);
    const agentA = await signIn(h.app, a.username, a.password);
    const agentB = await signIn(h.app, b.username, b.password);
    const created = await agentA.post('/api/members').send({ type: 'INDIVIDUAL', bizUserId: 'shared-id', name: '甲' });
    expect(created.status).toBe(201);
    // The same member number is free in another application.
    expect((await agentB.post('/api/members').send({ type: 'INDIVIDUAL', bizUserId: 'shared-id', name: '乙' })).status).toBe(201);

    const listA = await agentA.get('/api/members');
    const listB = await agentB.get('/api/members');
    expect(listA.body.items.map((m: { displayName: string }) => m.displayName)).toEqual(['甲']);
    expect(listB.body.items.map((m: { displayName: string }) => m.displayName)).toEqual(['乙']);
    const foreign = await agentB.get(`/api/members/${created.body.member.id}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.id).toBe('member.not_found');
    expect((await agentB.post(`/api/members/${created.body.member.id}/onboarding/link`)).status).toBe(404);
  });

  it('other roles cannot use the platform member pages, and platforms cannot use the operator console', async () => {
    const op = await createTenant(h.services, 'OPERATOR');
    const operator = await signIn(h.app, op.username, op.password);
    expect((await operator.get('/api/members')).status).toBe(403);
    const app = await createTenant(h.services);
    const platform = await signIn(h.app, app.username, app.password);
    const res = await platform.get('/api/operator/workflows');
    expect(res.status).toBe(403);
    expect(res.body.error.id).toBe('auth.forbidden');
  });

  it('adding the same member number twice is a conflict and starts no second onboarding', async () => {
    const t = await createTenant(h.services);
    const agent = await signIn(h.app, t.username, t.password);
    await agent.post('/api/members').send({ type: 'ENTERPRISE', bizUserId: 'dup-1', name: '某企业' }).expect(201);
    const again = await agent.post('/api/members').send({ type: 'ENTERPRISE', bizUserId: 'dup-1', name: '某企业' });
    expect(again.status).toBe(409);
    expect(again.body.error.id).toBe('member.duplicate');
    expect(await h.services.prisma.onboardingSession.count({ where: { application: { appNo: t.application.appNo } } })).toBe(1);
  });

  it('validates the basic information of a new member in Chinese', async () => {
    const t = await createTenant(h.services);
    const agent = await signIn(h.app, t.username, t.password);
    const cases: [Record<string, unknown>, string][] = [
      [{ type: 'PERSON', bizUserId: 'x1', name: '甲' }, '会员类型须为个人会员或企业会员'],
      [{ type: 'INDIVIDUAL', bizUserId: 'a b', name: '甲' }, '会员编号只能包含字母、数字、下划线和短横线'],
      [{ type: 'INDIVIDUAL', bizUserId: 'x2' }, '请输入会员名称'],
    ];
    for (const [body, message] of cases) {
      const res = await agent.post('/api/members').send(body);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ id: 'request.invalid', message });
    }
    expect((await agent.get('/api/members?pageSize=1000')).body.error.id).toBe('request.invalid');
    expect(await h.services.prisma.member.count({ where: { applicationId: t.application.id } })).toBe(0);
  });

  it('when Temporal refuses the start, the member and its session are removed again (the audit log keeps the attempt) and the platform gets a 503', async () => {
    const broken = await startHarness({ config: { TEMPORAL_NAMESPACE: 'no-such-namespace' } });
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const t = await createTenant(broken.services);
      const agent = await signIn(broken.app, t.username, t.password);
      const res = await agent.post('/api/members').send({ type: 'INDIVIDUAL', bizUserId: 'half-1', name: '半途' });
      expect(res.status).toBe(503);
      expect(res.body.error).toEqual({ id: 'service.unavailable', message: '开户流程启动失败，请稍后重试' });
      expect(await broken.services.prisma.member.count({ where: { applicationId: t.application.id } })).toBe(0);
      expect(await broken.services.prisma.onboardingSession.count({ where: { applicationId: t.application.id } })).toBe(0);
      expect(await broken.services.prisma.memberEvent.count({ where: { applicationId: t.application.id } })).toBe(0);
      // The audit log keeps what was attempted, and says the start was refused.
      expect(await broken.services.prisma.auditLog.count({ where: { actorId: t.user.id, action: { startsWith: 'member.' } } })).toBe(1);
      expect(await broken.services.prisma.auditLog.count({ where: { actorId: t.user.id, action: 'flow.start_refused' } })).toBe(1);
      // Nothing blocks a later, successful attempt with the same member number.
      const ok = await signIn(h.app, t.username, t.password);
      expect((await ok.post('/api/members').send({ type: 'INDIVIDUAL', bizUserId: 'half-1', name: '半途' })).status).toBe(201);
    } finally {
      errors.mockRestore();
      await broken.stop();
    }
  });

  it('rotating the link kills the old one and keeps the same onboarding', async () => {
    const t = await createTenant(h.services);
    const agent = await signIn(h.app, t.username, t.password);
    const created = await agent.post('/api/members').send({ type: 'INDIVIDUAL', bizUserId: 'rot-1', name: '丙' });
    const oldToken = created.body.link.url.split('/onboard/')[1];
    const rotated = await agent.post(`/api/members/${created.body.member.id}/onboarding/link`);
    expect(rotated.status).toBe(200);
    const newToken = rotated.body.link.url.split('/onboard/')[1];
    expect((await request(h.app.app).get(`/api/onboarding/${oldToken}`)).status).toBe(404);
    expect((await request(h.app.app).get(`/api/onboarding/${newToken}`)).status).toBe(200);
    const detail = await agent.get(`/api/members/${created.body.member.id}`);
    expect(detail.body.onboardings).toHaveLength(1);
    expect(detail.body.onboardings[0].history.map((e: { kind: string }) => e.kind)).toContain('link-rotated');
  });
});
