import request from 'supertest';
import { createOnboardedMember, createTenant, signIn, signingTokenFor, smsCodeFor, fileHarness } from '../../test/support/harness';

describe('分账抽佣规则: validation, signing by every party, resend, edit, status (real Postgres, Temporal, twilio)', () => {
  const h = fileHarness();

  async function platformWithMembers(n: number) {
    const tenant = await createTenant(h.services);
    const agent = await signIn(h.app, tenant.username, tenant.password);
    const members = [];
    for (let i = 0; i < n; i++) members.push(await createOnboardedMember(h.services, tenant.application.id, { name: `会员${i}` }));
    return { tenant, agent, members };
  }

  /** The member opens its newest link, asks for a code and signs. */
  async function signAs(phone: string, since: Date) {
    const token = await signingTokenFor(h.config, phone, since);
    const browser = request.agent(h.app.app);
    expect((await browser.get(`/api/signing/${token}`)).status).toBe(200);
    const t = new Date();
    expect((await browser.post(`/api/signing/${token}/code`)).status).toBe(200);
    const code = await smsCodeFor(h.config, phone, t);
    const res = await browser.post(`/api/signing/${token}/signature`).send({ code });
    expect(res.status).toBe(200);
  }

  async function stateOf(agent: request.Agent, id: string, want: string) {
    for (let i = 0; i < 100; i++) {
      const res = await agent.get(`/api/split/rules/${id}`);
      if (res.body.state === want) return res.body;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`rule did not become ${want}`);
  }

  it('refuses invalid terms, foreign or unsignable parties, and creates nothing', async () => {
    const { tenant, agent, members } = await platformWithMembers(3);
    const [r, a, b] = members;
    const other = await createTenant(h.services);
    const foreign = await createOnboardedMember(h.services, other.application.id);
    const noPhone = await createOnboardedMember(h.services, tenant.application.id, { phone: null });
    const base = { name: '门店分账', receiverMemberId: r!.id, commission: { method: 'RATIO', value: 500 } };
    const cases: [object, number, string][] = [
      [{ ...base, parties: [{ memberId: a!.id, method: 'RATIO', value: 9600 }] }, 422, 'split.invalid_terms'],
      [
        {
          ...base,
          parties: [
            { memberId: a!.id, method: 'RATIO', value: 100 },
            { memberId: a!.id, method: 'FIXED', value: 1 },
          ],
        },
        422,
        'split.invalid_terms',
      ],
      [{ ...base, parties: [{ memberId: foreign.id, method: 'RATIO', value: 100 }] }, 422, 'split.party_unknown'],
      [{ ...base, parties: [{ memberId: noPhone.id, method: 'RATIO', value: 100 }] }, 422, 'split.party_cannot_sign'],
      [{ ...base, parties: [] }, 400, 'request.invalid'],
      [{ ...base, parties: [{ memberId: b!.id, method: 'RATIO', value: 10001 }] }, 400, 'request.invalid'],
      [{ ...base, parties: [{ memberId: b!.id, method: 'FIXED', value: 1.5 }] }, 400, 'request.invalid'],
    ];
    for (const [body, status, id] of cases) {
      const res = await agent.post('/api/split/rules').send(body);
      expect([res.status, res.body.error.id]).toEqual([status, id]);
    }
    const over = await agent.post('/api/split/rules').send(cases[0]![0]);
    expect(over.body.error.message).toContain('101%');
    expect(await h.services.prisma.splitRule.count({ where: { applicationId: tenant.application.id } })).toBe(0);
  });

  it('sends every party a link on creation; the rule takes effect when all have signed', async () => {
    const { agent, members } = await platformWithMembers(3);
    const [r, a, b] = members;
    const t = new Date();
    const created = await agent.post('/api/split/rules').send({
      name: '门店分账',
      receiverMemberId: r!.id,
      commission: { method: 'RATIO', value: 500 },
      parties: [
        { memberId: a!.id, method: 'RATIO', value: 3000 },
        { memberId: b!.id, method: 'FIXED', value: 200 },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.body.state).toBe('PENDING_SIGNATURE');
    expect(created.body.parties.map((p: { role: string; label: string }) => [p.role, p.label])).toEqual([
      ['RECEIVER', '收款会员'],
      ['SPLIT', '按比例 30%'],
      ['SPLIT', '固定金额 2.00元'],
    ]);
    await signAs(r!.phone!, t);
    await signAs(a!.phone!, t);
    let detail = (await agent.get(`/api/split/rules/${created.body.id}`)).body;
    expect(detail.state).toBe('PENDING_SIGNATURE');
    expect(detail.parties.map((p: { signed: boolean }) => p.signed)).toEqual([true, true, false]);
    await signAs(b!.phone!, t);
    detail = await stateOf(agent, created.body.id, 'EFFECTIVE');
    expect(detail.effectiveAt).not.toBeNull();
    const resend = await agent.post(`/api/split/rules/${created.body.id}/resend`);
    expect(resend.status).toBe(409);
    expect(resend.body.error.id).toBe('split.all_signed');
    const agreements = await agent.get('/api/agreements?category=MEMBER&kind=SPLIT_RULE');
    expect(agreements.body.items).toHaveLength(3);

    // An edit of one party's share: that party and the receiver sign again; the other keeps its signature.
    const t2 = new Date();
    const edited = await agent.put(`/api/split/rules/${created.body.id}`).send({
      name: '门店分账（调整）',
      commission: { method: 'RATIO', value: 500 },
      parties: [
        { memberId: a!.id, method: 'RATIO', value: 3000 },
        { memberId: b!.id, method: 'FIXED', value: 300 },
      ],
    });
    expect(edited.status).toBe(200);
    expect(edited.body.state).toBe('PENDING_SIGNATURE');
    expect(edited.body.parties.map((p: { signed: boolean }) => p.signed)).toEqual([false, true, false]);
    await signAs(b!.phone!, t2);
    await signAs(r!.phone!, t2);
    await stateOf(agent, created.body.id, 'EFFECTIVE');

    const receiverChange = await agent.put(`/api/split/rules/${created.body.id}`).send({
      name: 'x',
      receiverMemberId: a!.id,
      parties: [{ memberId: b!.id, method: 'FIXED', value: 300 }],
    });
    expect(receiverChange.status).toBe(422);
    expect(receiverChange.body.error.id).toBe('split.receiver_changed');

    const noReason = await agent.post(`/api/split/rules/${created.body.id}/status`).send({ enabled: false });
    expect(noReason.status).toBe(400);
    const disabled = await agent.post(`/api/split/rules/${created.body.id}/status`).send({ enabled: false, reason: '门店停业' });
    expect(disabled.body.state).toBe('DISABLED');
    const history = await agent.get(`/api/split/rules/${created.body.id}/history`);
    expect(history.body[0]).toMatchObject({ action: 'split-rule.disable', detail: { reason: '门店停业' } });
  });

  it('协议重发 revokes an unsigned party’s link and sends a new one', async () => {
    const { agent, members } = await platformWithMembers(2);
    const [r, a] = members;
    const t = new Date();
    const created = await agent.post('/api/split/rules').send({
      name: '分账',
      receiverMemberId: r!.id,
      commission: null,
      parties: [{ memberId: a!.id, method: 'RATIO', value: 1000 }],
    });
    const firstToken = await signingTokenFor(h.config, a!.phone!, t);
    await new Promise((r2) => setTimeout(r2, 50));
    const t2 = new Date();
    const resent = await agent.post(`/api/split/rules/${created.body.id}/resend`);
    expect(resent.body).toEqual({ resentTo: 2 });
    const secondToken = await signingTokenFor(h.config, a!.phone!, t2);
    expect(secondToken).not.toBe(firstToken);
    expect((await request(h.app.app).get(`/api/signing/${firstToken}`)).body.error.id).toBe('signing.link_revoked');
    const page = await request(h.app.app).get(`/api/signing/${secondToken}`);
    expect(page.body.subject).toMatchObject({ ruleNo: created.body.ruleNo, commission: null });
  });

  it('split order details: 我分出去的 and 分给我的, scoped to the application', async () => {
    const { tenant, agent, members } = await platformWithMembers(2);
    const [r, a] = members;
    const order = await h.services.prisma.order.create({
      data: {
        applicationId: tenant.application.id,
        orderNo: `YST${Date.now()}`,
        bizOrderNo: 'BIZ-1',
        type: 'CONSUMPTION',
        status: 'SUCCESS',
        receiverMemberId: r!.id,
        amountFen: 10_000,
        splits: {
          create: [
            { applicationId: tenant.application.id, fromMemberId: r!.id, toMemberId: a!.id, kind: 'SPLIT', amountFen: 3000, status: 'SUCCESS' },
            { applicationId: tenant.application.id, fromMemberId: r!.id, toMemberId: null, kind: 'COMMISSION', amountFen: 500, status: 'SUCCESS' },
          ],
        },
      },
    });
    const out = await agent.get('/api/split/orders');
    expect(out.body.items).toHaveLength(1);
    expect(out.body.items[0]).toMatchObject({ orderNo: order.orderNo, amountFen: 3000, kind: 'SPLIT' });
    const mine = await agent.get('/api/split/orders?direction=IN');
    expect(mine.body.items[0]).toMatchObject({ amountFen: 500, to: { displayName: '平台（抽佣）' } });
    const detail = await agent.get(`/api/split/orders/${out.body.items[0].id}`);
    expect(detail.body.splits).toHaveLength(2);
    expect((await agent.get('/api/split/orders?from=2026-13-01')).status).toBe(400);
    const other = await createTenant(h.services);
    const otherAgent = await signIn(h.app, other.username, other.password);
    expect((await otherAgent.get('/api/split/orders')).body.items).toHaveLength(0);
    expect((await otherAgent.get(`/api/split/orders/${out.body.items[0].id}`)).status).toBe(404);
  });
});
