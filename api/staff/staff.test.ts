/**
 * 人员管理 through the API: a headquarters operator creates a reviewer (the initial password reaches
 * the reviewer's phone, changed at first login), disables it (its open session ends at once, sign-in
 * refused), enables it, resets its password and changes its role; every change audited.
 */
import request from 'supertest';
import { createTenant, fileHarness, outboxWait, signIn, uniquePhone } from '../../test/support/harness';

describe('人员管理', () => {
  const h = fileHarness();

  const initialPassword = async (phone: string, after: Date) => {
    const sms = await outboxWait(h.config, (m) => m.to === `+86${phone}` && m.body.includes('初始密码') && new Date(m.receivedAt) >= after);
    return /初始密码：(\S+?)，/.exec(sms.body)![1]!;
  };

  it('creates, disables, enables, resets and re-roles a staff user, each audited', async () => {
    const op = await createTenant(h.services, 'OPERATOR');
    const ops = await signIn(h.app, op.username, op.password);
    const phone = uniquePhone();
    const username = `reviewer.${Date.now().toString(36)}`;
    const before = new Date();

    const created = await ops.post('/api/staff').send({ username, displayName: '李审核', role: 'REVIEWER', phone });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      staff: { username, role: 'REVIEWER', enabled: true, mustChangePassword: true },
      sentTo: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
    });
    const id = created.body.staff.id as string;
    expect((await ops.post('/api/staff').send({ username, displayName: '重名', role: 'REVIEWER', phone })).body.error.id).toBe('staff.duplicate');
    expect((await ops.post('/api/staff').send({ username: 'X', displayName: '', role: 'ADMIN', phone: '123' })).body.error.id).toBe('request.invalid');

    // The reviewer signs in with the password from the SMS and must change it first.
    let password = await initialPassword(phone, before);
    const reviewer = await signIn(h.app, username, password);
    expect((await reviewer.get('/api/auth/me')).body.user).toMatchObject({ role: 'REVIEWER', mustChangePassword: true });

    // 停用: the open session ends now, and sign-in is refused.
    expect((await ops.post(`/api/staff/${op.user.id}/disable`).send({ reason: '测试' })).body.error.id).toBe('staff.self');
    const disabled = await ops.post(`/api/staff/${id}/disable`).send({ reason: '人员离职' });
    expect(disabled.body.staff).toMatchObject({ enabled: false, disabledReason: '人员离职' });
    expect((await reviewer.get('/api/auth/me')).status).toBe(401);
    const refused = await request(h.app.app).post('/api/auth/login').send({ username, password });
    expect([refused.status, refused.body.error.id]).toEqual([403, 'auth.disabled']);

    await ops.post(`/api/staff/${id}/enable`).expect(200);
    const again = await signIn(h.app, username, password);

    // 重置密码: a new initial password by SMS; the old one and the open session are gone.
    const resetAt = new Date();
    expect((await ops.post(`/api/staff/${id}/password-reset`)).body.sentTo).toContain('****');
    const fresh = await initialPassword(phone, resetAt);
    expect(fresh).not.toBe(password);
    expect((await again.get('/api/auth/me')).status).toBe(401);
    password = fresh;
    const third = await signIn(h.app, username, password);

    // A new role: the person signs in again and has it.
    await ops.put(`/api/staff/${id}/role`).send({ role: 'OPERATOR' }).expect(200);
    expect((await third.get('/api/auth/me')).status).toBe(401);
    expect((await (await signIn(h.app, username, password)).get('/api/auth/me')).body.user.role).toBe('OPERATOR');

    const listed = await ops.get('/api/staff');
    expect(listed.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ id, role: 'OPERATOR', enabled: true })]));
    const audits = await h.services.prisma.auditLog.findMany({
      where: { target: `user:${username}`, action: { startsWith: 'staff.' } },
      orderBy: { at: 'asc' },
    });
    expect(audits.map((a) => a.action)).toEqual(['staff.create', 'staff.disable', 'staff.enable', 'staff.password_reset', 'staff.role']);
    expect(audits.every((a) => a.actorId === op.user.id)).toBe(true);
  });
});
