import request from 'supertest';
import {
  binaryBody,
  createOnboardedMember,
  createTenant,
  outboxMessages,
  pdfText,
  signIn,
  signingTokenFor,
  smsCodeFor,
  testNow,
  fileHarness,
} from '../../test/support/harness';

describe('收单商户管理: batch signing links, the member signing, agreements (real Postgres, Temporal, twilio)', () => {
  const h = fileHarness();

  async function platform(fundMode: 'POST_SETTLEMENT' | 'REALTIME_SETTLEMENT' = 'POST_SETTLEMENT') {
    const tenant = await createTenant(h.services, 'APPLICATION', fundMode);
    return { tenant, agent: await signIn(h.app, tenant.username, tenant.password) };
  }

  async function finished(agent: request.Agent, batchId: string) {
    for (let i = 0; i < 150; i++) {
      const res = await agent.get(`/api/acquiring/signing-batches/${batchId}`);
      if (res.body.status === 'COMPLETED') return res.body;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('batch did not complete');
  }

  it('refuses every acquiring menu to applications that are not post-settlement', async () => {
    const { agent } = await platform('REALTIME_SETTLEMENT');
    for (const res of [
      await agent.get('/api/acquiring/merchants'),
      await agent.get('/api/acquiring/signing-links'),
      await agent.post('/api/acquiring/signing-batches').send({ memberIds: [] }),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body.error.id).toBe('application.fund_mode');
    }
  });

  it('refuses an empty, unknown or foreign selection and records no batch', async () => {
    const { tenant, agent } = await platform();
    const other = await platform();
    const foreign = await createOnboardedMember(h.services, other.tenant.application.id);
    const empty = await agent.post('/api/acquiring/signing-batches').send({ memberIds: [] });
    expect(empty.status).toBe(400);
    expect(empty.body.error.id).toBe('signing.empty_selection');
    const both = await agent.post('/api/acquiring/signing-batches').send({ memberIds: [foreign.id], allFiltered: {} });
    expect(both.status).toBe(400);
    expect(both.body.error.id).toBe('request.invalid');
    const notMine = await agent.post('/api/acquiring/signing-batches').send({ memberIds: [foreign.id] });
    expect(notMine.status).toBe(404);
    expect(notMine.body.error).toMatchObject({ id: 'member.not_found', details: { unknownMemberIds: [foreign.id] } });
    const badDays = await agent.post('/api/acquiring/signing-batches').send({ allFiltered: {}, validityDays: 0 });
    expect(badDays.status).toBe(400);
    expect(await h.services.prisma.signingBatch.count({ where: { applicationId: tenant.application.id } })).toBe(0);
  });

  it('sends to signable members, skips the others with the reason, and the member signs through the link', async () => {
    const { tenant, agent } = await platform();
    const ready = await createOnboardedMember(h.services, tenant.application.id, { name: '王小明' });
    const noPhone = await createOnboardedMember(h.services, tenant.application.id, { phone: null });
    const pending = await createOnboardedMember(h.services, tenant.application.id, { status: 'PENDING' });
    // A member who withdrew its consent to the processing of its personal information (PIPL) is not asked to sign.
    const withdrawn = await createOnboardedMember(h.services, tenant.application.id);
    await agent.post(`/api/members/${withdrawn.id}/consent-withdrawal`).send({ reason: '会员要求撤回授权' }).expect(200);

    const merchants = await agent.get('/api/acquiring/merchants?phoneBound=true');
    expect(merchants.body.items.map((m: { id: string }) => m.id).sort()).toEqual([ready.id, pending.id, withdrawn.id].sort());

    const before = new Date();
    const started = await agent.post('/api/acquiring/signing-batches').send({ memberIds: [ready.id, noPhone.id, pending.id, withdrawn.id], validityDays: 3 });
    expect(started.status).toBe(202);
    const batch = await finished(agent, started.body.id);
    expect(batch).toMatchObject({ total: 4, processed: 4, sent: 1, skipped: 3 });
    expect(Object.fromEntries(batch.skippedMembers.map((s: { memberId: string; reason: string }) => [s.memberId, s.reason]))).toEqual({
      [noPhone.id]: '会员未绑定手机号',
      [pending.id]: '会员状态非正常',
      [withdrawn.id]: '会员已撤回个人信息处理授权',
    });

    const token = await signingTokenFor(h.config, ready.phone!, before);
    let links = await agent.get('/api/acquiring/signing-links');
    expect(links.body.items).toHaveLength(1);
    expect(links.body.items[0]).toMatchObject({ memberId: ready.id, status: 'SENT' });
    const validity = Date.parse(links.body.items[0].expiresAt) - Date.parse(links.body.items[0].sentAt);
    expect(Math.round(validity / 3_600_000)).toBe(72);

    const member = request.agent(h.app.app);
    const page = await member.get(`/api/signing/${token}`);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ purpose: 'SETTLEMENT_AUTHORISATION', agreement: { title: '客户委托结算授权函' }, memberName: '王**' });
    links = await agent.get('/api/acquiring/signing-links');
    expect(links.body.items[0].status).toBe('OPENED');

    const beforeCode = new Date();
    expect((await member.post(`/api/signing/${token}/code`)).status).toBe(200);
    const code = await smsCodeFor(h.config, ready.phone!, beforeCode);
    const wrong = await member.post(`/api/signing/${token}/signature`).send({ code: code === '000000' ? '111111' : '000000' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.id).toBe('sms.code_wrong');
    const signed = await member.post(`/api/signing/${token}/signature`).set('User-Agent', 'jest-phone/1.0').send({ code });
    expect(signed.status).toBe(200);
    const again = await member.get(`/api/signing/${token}`);
    expect(again.status).toBe(409);
    expect(again.body.error.id).toBe('signing.link_used');

    links = await agent.get('/api/acquiring/signing-links?status=SIGNED');
    expect(links.body.items).toHaveLength(1);
    const agreements = await agent.get('/api/agreements?category=PAYMENT_ACCOUNT');
    expect(agreements.body.items).toHaveLength(1);
    expect(agreements.body.items[0]).toMatchObject({ memberId: ready.id, title: '客户委托结算授权函', online: true, version: '2026-01' });
    expect((await agent.get('/api/agreements?category=MEMBER')).body.items).toHaveLength(0);
    // The 授权函 opened the member's 支付账户 under it.
    const accounts = await h.services.prisma.account.findMany({ where: { memberId: ready.id } });
    expect(accounts.map((a) => [a.kind, a.agreementId])).toEqual([['PAYMENT', agreements.body.items[0].id]]);
    expect(accounts[0]!.accountNo).toMatch(new RegExp(`^${tenant.application.appNo}02\\d{10}$`));

    const pdf = await agent.get(`/api/agreements/${agreements.body.items[0].id}/pdf`).buffer(true).parse(binaryBody);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = pdfText(pdf.body as Buffer);
    expect(text).toContain('客户委托结算授权函');
    expect(text).toContain(`${ready.phone!.slice(0, 3)}****${ready.phone!.slice(-4)}`);
    expect(text).toContain('jest-phone/1.0');
    expect(text).toContain('文本校验：本文件所载协议文本与签署时的文本一致');

    // Another application sees neither the batch nor the agreement.
    const other = await platform();
    expect((await other.agent.get(`/api/acquiring/signing-batches/${started.body.id}`)).status).toBe(404);
    expect((await other.agent.get(`/api/agreements/${agreements.body.items[0].id}/pdf`)).status).toBe(404);
  });

  it('re-sending revokes the earlier link, which then cannot be used', async () => {
    const { tenant, agent } = await platform();
    const m = await createOnboardedMember(h.services, tenant.application.id);
    const t1 = new Date();
    const first = await agent.post('/api/acquiring/signing-batches').send({ memberIds: [m.id] });
    await finished(agent, first.body.id);
    const oldToken = await signingTokenFor(h.config, m.phone!, t1);
    const t2 = new Date();
    const second = await agent.post('/api/acquiring/signing-batches').send({ allFiltered: { keyword: m.bizUserId } });
    expect((await finished(agent, second.body.id)).sent).toBe(1);
    const newToken = await signingTokenFor(h.config, m.phone!, t2);
    expect(newToken).not.toBe(oldToken);
    const old = await request(h.app.app).get(`/api/signing/${oldToken}`);
    expect(old.status).toBe(410);
    expect(old.body.error.id).toBe('signing.link_revoked');
    expect((await request(h.app.app).get(`/api/signing/${newToken}`)).status).toBe(200);
    const statuses = (await agent.get('/api/acquiring/signing-links')).body.items.map((l: { status: string }) => l.status);
    expect(statuses).toEqual(['OPENED', 'REVOKED']);
    // exactly one SMS per link (matched by the links' own keys: a masked phone is shared by other tests' members)
    const linkIds = (await h.services.prisma.signingLink.findMany({ where: { memberId: m.id }, select: { id: true } })).map((l) => l.id);
    expect(linkIds).toHaveLength(2);
    expect(await h.services.prisma.smsMessage.count({ where: { idempotencyKey: { in: linkIds.map((id) => `signing-link:${id}`) } } })).toBe(2);
    const received = (await outboxMessages(h.config)).filter((msg) => msg.channel === 'sms' && msg.to === `+86${m.phone}` && /\/sign\//.test(msg.body));
    expect(received).toHaveLength(2);
  });

  it('a link past its validity reads as expired and cannot be opened', async () => {
    const { tenant, agent } = await platform();
    const m = await createOnboardedMember(h.services, tenant.application.id);
    const t = new Date();
    const b = await agent.post('/api/acquiring/signing-batches').send({ memberIds: [m.id], validityDays: 1 });
    await finished(agent, b.body.id);
    const token = await signingTokenFor(h.config, m.phone!, t);
    await h.services.prisma.signingLink.updateMany({ where: { memberId: m.id }, data: { expiresAt: new Date(testNow().getTime() - 1000) } });
    const res = await request(h.app.app).get(`/api/signing/${token}`);
    expect(res.status).toBe(410);
    expect(res.body.error.id).toBe('signing.link_expired');
    expect((await agent.get('/api/acquiring/signing-links?status=EXPIRED')).body.items).toHaveLength(1);
  });
});
