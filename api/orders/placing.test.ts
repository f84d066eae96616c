/**
 * 下单 through the API, with the sandbox payment channel (dev-channel/, a real HTTP server) and the
 * order's Temporal flow: results arrive asynchronously, only SUCCESS books, the double entry holds,
 * a 商户订单号 is used once, balances never go below zero, splits and commission book on success.
 */
import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import type request from 'supertest';
import { createActivities } from '../../activities';
import { sealedBankCard } from '../../lib/business/bank-cards';
import { cardNumber } from '../../test/support/fixtures';
import { createMemberWithAccounts, eventually, fileHarness, signedInTenant, testNow } from '../../test/support/harness';

describe('orders through the payment channel (real Postgres, Temporal, sandbox channel)', () => {
  const h = fileHarness();

  async function tenantWithMembers(n: number, fundMode: 'POST_SETTLEMENT' | 'REALTIME_SETTLEMENT' = 'POST_SETTLEMENT') {
    const { tenant, agent } = await signedInTenant(h, 'APPLICATION', fundMode);
    const members = [];
    for (let i = 0; i < n; i++) members.push(await createMemberWithAccounts(h.services, tenant.application.id));
    return { tenant, agent, members };
  }

  const balances = async (applicationId: string) => {
    const rows = await h.services.prisma.account.findMany({ where: { applicationId } });
    return Object.fromEntries(rows.map((a) => [a.memberId ? `${a.memberId}:${a.kind}` : a.kind, Number(a.balanceFen)]));
  };

  /** An effective split rule (every party signed an hour ago, on the app's clock orders are booked by): the party takes 10.00, the platform 5 %. */
  const effectiveRule = async (applicationId: string, receiverId: string, partyId: string) => {
    const at = new Date(testNow().getTime() - 3600_000);
    await h.services.prisma.splitRule.create({
      data: {
        applicationId,
        ruleNo: `FZ${randomUUID().slice(0, 8)}`,
        name: '联营分账',
        receiverMemberId: receiverId,
        commissionMethod: 'RATIO',
        commissionValue: 500,
        allSigned: true,
        effectiveAt: at,
        parties: {
          create: [
            { memberId: receiverId, role: 'RECEIVER', position: 0, termsHash: 'r', signedTermsHash: 'r', signedAt: at },
            { memberId: partyId, role: 'SPLIT', method: 'FIXED', value: 1000, position: 1, termsHash: 'p', signedTermsHash: 'p', signedAt: at },
          ],
        },
      },
    });
  };

  const settled = (agent: request.Agent, id: string) =>
    eventually(
      () => agent.get(`/api/orders/${id}`).then((r) => r.body),
      (o) => ['SUCCESS', 'FAILED', 'CLOSED'].includes(o.status),
      `order ${id} decided`,
    );

  /** Every posting of every order sums to zero, and every balance is the sum of its movements. */
  async function ledgerHolds(applicationId: string) {
    const q = <T>(s: TemplateStringsArray, ...v: unknown[]) => h.services.prisma.$queryRaw<T[]>(s, ...v);
    const unbalanced = await q<{ n: number }>`SELECT count(*)::int AS n FROM (SELECT m."orderId" FROM "Movement" m JOIN "Order" o ON o.id = m."orderId"
      WHERE o."applicationId" = ${applicationId}::uuid GROUP BY m."orderId" HAVING sum(m."amountFen") <> 0) x`;
    const wrong = await q<{
      n: number;
    }>`SELECT count(*)::int AS n FROM "Account" a LEFT JOIN (SELECT "accountId", sum("amountFen") AS s FROM "Movement" GROUP BY "accountId") m
      ON m."accountId" = a.id WHERE a."applicationId" = ${applicationId}::uuid AND a."balanceFen" <> coalesce(m.s, 0)`;
    const negative = await q<{
      n: number;
    }>`SELECT count(*)::int AS n FROM "Account" WHERE "applicationId" = ${applicationId}::uuid AND "memberId" IS NOT NULL AND "balanceFen" < "reservedFen"`;
    expect({ unbalanced: unbalanced[0]!.n, wrong: wrong[0]!.n, negative: negative[0]!.n }).toEqual({ unbalanced: 0, wrong: 0, negative: 0 });
  }

  it('充值 goes PROCESSING, then SUCCESS from the channel, with the channel’s serials, and books the 支付账户', async () => {
    const { tenant, agent, members } = await tenantWithMembers(1);
    const [m] = members;
    const res = await agent
      .post('/api/orders')
      .send({ kind: 'TOP_UP', bizOrderNo: 'TU-1', amount: '100.00', receiver: m!.bizUserId, paymentMethod: 'QUICK_PAY' });
    expect(res.status).toBe(201);
    expect(['CREATED', 'PROCESSING']).toContain(res.body.status);
    const done = await settled(agent, res.body.id);
    expect(done).toMatchObject({ status: 'SUCCESS', statusLabel: '交易成功', amountFen: 10000, feeFen: 0 });
    expect(done.channelSerial).toMatch(/^CH/);
    expect(done.backendSerial).toMatch(/^BK/);
    // How it was paid comes from the channel too; 请求渠道流水号 is what this product called it there.
    expect(done).toMatchObject({ channelType: '线上交易', cardType: '借记卡', paymentMethod: '快捷支付' });
    expect(done.requestSerial).toBe(`REQ${done.orderNo.slice(3)}`);
    const b = await balances(tenant.application.id);
    expect(b[`${m!.id}:PAYMENT`]).toBe(10000);
    expect(b.CLEARING).toBe(-10000);
    expect(done.movements.map((x: { amountFen: number }) => x.amountFen).sort()).toEqual([-10000, 10000]);
    await ledgerHolds(tenant.application.id);
  });

  it('a card the channel refuses ends FAILED with its reason and books nothing', async () => {
    const { tenant, agent, members } = await tenantWithMembers(1);
    const res = await agent
      .post('/api/orders')
      .send({ kind: 'TOP_UP', bizOrderNo: 'TU-F', amount: '12.44', receiver: members[0]!.bizUserId, paymentMethod: 'GATEWAY' });
    const done = await settled(agent, res.body.id);
    expect(done).toMatchObject({ status: 'FAILED', failureReason: '持卡人余额不足', movements: [] });
    expect((await balances(tenant.application.id))[`${members[0]!.id}:PAYMENT`]).toBe(0);
  });

  it('one 商户订单号 is one order: the same request answers with it, another one is refused and books nothing', async () => {
    const { tenant, agent, members } = await tenantWithMembers(1);
    const body = { kind: 'TOP_UP', bizOrderNo: 'TU-SAME', amount: '5.00', receiver: members[0]!.bizUserId, paymentMethod: 'WECHAT' };
    const [a, b] = await Promise.all([agent.post('/api/orders').send(body), agent.post('/api/orders').send(body)]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.id).toBe(b.body.id);
    const other = await agent.post('/api/orders').send({ ...body, amount: '6.00' });
    expect(other.status).toBe(409);
    expect(other.body.error.id).toBe('order.duplicate_conflict');
    await settled(agent, a.body.id);
    expect(await h.services.prisma.order.count({ where: { applicationId: tenant.application.id } })).toBe(1);
    expect((await balances(tenant.application.id))[`${members[0]!.id}:PAYMENT`]).toBe(500);
  });

  it('转账 is decided at once; more than the balance is refused with nothing recorded', async () => {
    const { tenant, agent, members } = await tenantWithMembers(2);
    const [payer, payee] = members;
    await settled(
      agent,
      (await agent.post('/api/orders').send({ kind: 'TOP_UP', bizOrderNo: 'F-1', amount: '50.00', receiver: payer!.bizUserId, paymentMethod: 'ALIPAY' })).body
        .id,
    );
    const ok = await agent
      .post('/api/orders')
      .send({ kind: 'TRANSFER', bizOrderNo: 'T-1', amount: '20.00', receiver: payee!.bizUserId, payer: payer!.bizUserId });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ status: 'SUCCESS', typeLabel: '转账-转账' });
    const over = await agent
      .post('/api/orders')
      .send({ kind: 'TRANSFER', bizOrderNo: 'T-2', amount: '30.01', receiver: payee!.bizUserId, payer: payer!.bizUserId });
    expect(over.status).toBe(422);
    expect(over.body.error).toMatchObject({ id: 'order.insufficient_balance', message: '账户可用余额不足' });
    expect(await h.services.prisma.order.findFirst({ where: { applicationId: tenant.application.id, bizOrderNo: 'T-2' } })).toBeNull();
    const b = await balances(tenant.application.id);
    expect([b[`${payer!.id}:PAYMENT`], b[`${payee!.id}:PAYMENT`]]).toEqual([3000, 2000]);
    // The parties must be distinct and normal members of the application.
    const self = await agent
      .post('/api/orders')
      .send({ kind: 'TRANSFER', bizOrderNo: 'T-3', amount: '1.00', receiver: payer!.bizUserId, payer: payer!.bizUserId });
    expect(self.body.error.id).toBe('order.same_member');
    const nobody = await agent.post('/api/orders').send({ kind: 'TRANSFER', bizOrderNo: 'T-4', amount: '1.00', receiver: 'NOBODY', payer: payer!.bizUserId });
    expect(nobody.body.error.id).toBe('member.not_found');
    await ledgerHolds(tenant.application.id);
  });

  it('提现 reserves its amount, pays out to the member’s verified card only, and books on success', async () => {
    const { tenant, agent, members } = await tenantWithMembers(2);
    const [m, other] = members;
    const card = await h.services.prisma.bankCard.create({
      data: {
        memberId: m!.id,
        ...sealedBankCard(h.services.crypto, { cardNumber: cardNumber('621700'), holderName: '测试会员', reservedPhone: m!.phone! }, testNow()),
      },
    });
    await settled(
      agent,
      (await agent.post('/api/orders').send({ kind: 'TOP_UP', bizOrderNo: 'F-1', amount: '80.00', receiver: m!.bizUserId, paymentMethod: 'QUICK_PAY' })).body
        .id,
    );
    const foreign = await agent
      .post('/api/orders')
      .send({ kind: 'WITHDRAWAL', bizOrderNo: 'W-0', amount: '1.00', receiver: other!.bizUserId, cardId: card.id });
    expect(foreign.body.error.id).toBe('order.card_invalid');
    const res = await agent.post('/api/orders').send({ kind: 'WITHDRAWAL', bizOrderNo: 'W-1', amount: '60.00', receiver: m!.bizUserId, cardId: card.id });
    expect(res.status).toBe(201);
    // The 60 are held from the moment it is placed (and gone once paid out): another 30 do not fit.
    const more = await agent.post('/api/orders').send({ kind: 'WITHDRAWAL', bizOrderNo: 'W-2', amount: '30.00', receiver: m!.bizUserId, cardId: card.id });
    expect(more.status).toBe(422);
    expect(more.body.error.id).toBe('order.insufficient_balance');
    expect((await settled(agent, res.body.id)).status).toBe('SUCCESS');
    const account = await h.services.prisma.account.findFirstOrThrow({ where: { memberId: m!.id, kind: 'PAYMENT' } });
    expect([Number(account.balanceFen), Number(account.reservedFen)]).toEqual([2000, 0]);
    await ledgerHolds(tenant.application.id);
  });

  it('a transaction the channel never decides is closed: CLOSED, and what it held is released', async () => {
    const { tenant, agent, members } = await tenantWithMembers(1);
    const m = members[0]!;
    const card = await h.services.prisma.bankCard.create({
      data: {
        memberId: m.id,
        ...sealedBankCard(h.services.crypto, { cardNumber: cardNumber('621700'), holderName: '测试会员', reservedPhone: m.phone! }, testNow()),
      },
    });
    await settled(
      agent,
      (await agent.post('/api/orders').send({ kind: 'TOP_UP', bizOrderNo: 'F-1', amount: '10.00', receiver: m.bizUserId, paymentMethod: 'QUICK_PAY' })).body.id,
    );
    // …99: the sandbox never decides. The flow would close it after 30 minutes; its close step, run now:
    const res = await agent.post('/api/orders').send({ kind: 'WITHDRAWAL', bizOrderNo: 'W-99', amount: '0.99', receiver: m.bizUserId, cardId: card.id });
    await eventually(
      () => agent.get(`/api/orders/${res.body.id}`).then((r) => r.body.status),
      (s) => s === 'PROCESSING',
      'the channel to take it',
    );
    const held = await h.services.prisma.account.findFirstOrThrow({ where: { memberId: m.id, kind: 'PAYMENT' } });
    expect(Number(held.reservedFen)).toBe(99);
    const acts = createActivities(h.services);
    const env = new MockActivityEnvironment({
      workflowExecution: { workflowId: `payment-order:${res.body.orderNo}`, runId: randomUUID() },
      activityId: 'close',
    });
    const input = { orderId: res.body.id, orderNo: res.body.orderNo, applicationId: tenant.application.id };
    expect(await env.run(acts.closeOrderAtChannel, input)).toBe('CLOSED');
    expect(await env.run(acts.closeOrderAtChannel, input)).toBe('CLOSED');
    const after = await h.services.prisma.account.findFirstOrThrow({ where: { memberId: m.id, kind: 'PAYMENT' } });
    expect([Number(after.balanceFen), Number(after.reservedFen)]).toEqual([1000, 0]);
    expect((await agent.get(`/api/orders/${res.body.id}`)).body).toMatchObject({ status: 'CLOSED', statusLabel: '已关闭', movements: [] });
    await h.temporal.workflow.getHandle(`payment-order:${res.body.orderNo}`).terminate('test done');
  });

  it('消费 to a member with an effective split rule splits it: shares, commission and the card fee out of the receipt', async () => {
    const { tenant, agent, members } = await tenantWithMembers(2);
    const [receiver, party] = members;
    await effectiveRule(tenant.application.id, receiver!.id, party!.id);
    const res = await agent
      .post('/api/orders')
      .send({ kind: 'CONSUMPTION', bizOrderNo: 'C-1', amount: '200.00', receiver: receiver!.bizUserId, paymentMethod: 'QUICK_PAY' });
    const done = await settled(agent, res.body.id);
    // 200.00: 10.00 to the party, 5 % (10.00) commission, 0.6 % (1.20) card fee; 178.80 stays with the receiver.
    expect(done).toMatchObject({ status: 'SUCCESS', feeFen: 120 });
    expect(done.splits.map((s: { kind: string; amountFen: number }) => [s.kind, s.amountFen]).sort()).toEqual([
      ['COMMISSION', 1000],
      ['SPLIT', 1000],
    ]);
    const b = await balances(tenant.application.id);
    expect([b[`${receiver!.id}:PENDING_SETTLEMENT`], b[`${party!.id}:PENDING_SETTLEMENT`], b.COMMISSION, b.FEE, b.CLEARING]).toEqual([
      17880, 1000, 1000, 120, -20000,
    ]);
    // 分账订单明细: 我分出去的 has the party's share, 分给我的 the platform's commission.
    const out = (await agent.get(`/api/split/orders?direction=OUT&keyword=${done.orderNo}`)).body.items;
    const into = (await agent.get(`/api/split/orders?direction=IN&keyword=${done.orderNo}`)).body.items;
    expect([out.map((d: { amountFen: number }) => d.amountFen), into.map((d: { amountFen: number }) => d.amountFen)]).toEqual([[1000], [1000]]);
    await ledgerHolds(tenant.application.id);
  });

  it('退款 in parts gives back the split, the commission and the fee in proportion, and never more than was paid', async () => {
    const { tenant, agent, members } = await tenantWithMembers(2);
    const [receiver, party] = members;
    await effectiveRule(tenant.application.id, receiver!.id, party!.id);
    const paid = await settled(
      agent,
      (
        await agent
          .post('/api/orders')
          .send({ kind: 'CONSUMPTION', bizOrderNo: 'C-R', amount: '200.00', receiver: receiver!.bizUserId, paymentMethod: 'QUICK_PAY' })
      ).body.id,
    );
    expect(paid.status).toBe('SUCCESS');
    const view = () =>
      balances(tenant.application.id).then((b) => [
        b[`${receiver!.id}:PENDING_SETTLEMENT`],
        b[`${party!.id}:PENDING_SETTLEMENT`],
        b.COMMISSION,
        b.FEE,
        b.CLEARING,
      ]);
    expect(await view()).toEqual([17880, 1000, 1000, 120, -20000]);

    // 50.00 of 200.00: a quarter of each line (2.50, 2.50), of the fee (0.30), the rest (44.70) from the receiver.
    const first = await agent.post('/api/orders').send({ kind: 'REFUND', bizOrderNo: 'R-1', amount: '50.00', originalBizOrderNo: 'C-R' });
    expect(first.status).toBe(201);
    const r1 = await settled(agent, first.body.id);
    expect(r1).toMatchObject({ status: 'SUCCESS', typeLabel: '退款-退款', feeFen: -30, related: { orderNo: paid.orderNo } });
    expect(r1.splits.map((x: { kind: string; amountFen: number }) => [x.kind, x.amountFen]).sort()).toEqual([
      ['COMMISSION', -250],
      ['SPLIT', -250],
    ]);
    expect(await view()).toEqual([13410, 750, 750, 90, -15000]);

    const tooMuch = await agent.post('/api/orders').send({ kind: 'REFUND', bizOrderNo: 'R-2', amount: '150.01', originalBizOrderNo: 'C-R' });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error).toMatchObject({ id: 'order.refund_exceeds', message: '可退金额为 150.00 元', details: { refundableFen: 15000 } });
    // The last part gives back exactly what is left of every line: all accounts are back at zero.
    await settled(agent, (await agent.post('/api/orders').send({ kind: 'REFUND', bizOrderNo: 'R-3', amount: '150.00', originalBizOrderNo: 'C-R' })).body.id);
    expect(await view()).toEqual([0, 0, 0, 0, 0]);
    expect((await agent.post('/api/orders').send({ kind: 'REFUND', bizOrderNo: 'R-4', amount: '0.01', originalBizOrderNo: 'C-R' })).body.error.id).toBe(
      'order.refund_exceeds',
    );

    // Only a successful consumption can be refunded, and only an order of this application.
    await settled(
      agent,
      (await agent.post('/api/orders').send({ kind: 'TOP_UP', bizOrderNo: 'TU', amount: '1.00', receiver: receiver!.bizUserId, paymentMethod: 'QUICK_PAY' }))
        .body.id,
    );
    expect((await agent.post('/api/orders').send({ kind: 'REFUND', bizOrderNo: 'R-5', amount: '1.00', originalBizOrderNo: 'TU' })).body.error.id).toBe(
      'order.not_refundable',
    );
    expect((await agent.post('/api/orders').send({ kind: 'REFUND', bizOrderNo: 'R-6', amount: '1.00', originalBizOrderNo: 'NO-SUCH' })).body.error.id).toBe(
      'order.not_found',
    );
    await ledgerHolds(tenant.application.id);
  });

  it('退款 of a 余额支付 goes straight back to the paying member’s 支付账户', async () => {
    const { tenant, agent, members } = await tenantWithMembers(2);
    const [payer, shop] = members;
    await settled(
      agent,
      (await agent.post('/api/orders').send({ kind: 'TOP_UP', bizOrderNo: 'F', amount: '100.00', receiver: payer!.bizUserId, paymentMethod: 'QUICK_PAY' })).body
        .id,
    );
    const paid = await agent
      .post('/api/orders')
      .send({ kind: 'CONSUMPTION', bizOrderNo: 'C-B', amount: '30.00', receiver: shop!.bizUserId, payer: payer!.bizUserId, paymentMethod: 'BALANCE' });
    expect(paid.body).toMatchObject({ status: 'SUCCESS', feeFen: 0 });
    const refund = await agent.post('/api/orders').send({ kind: 'REFUND', bizOrderNo: 'R-B', amount: '30.00', originalBizOrderNo: 'C-B' });
    expect(refund.status).toBe(201);
    expect(refund.body.status).toBe('SUCCESS');
    const b = await balances(tenant.application.id);
    expect([b[`${payer!.id}:PAYMENT`], b[`${shop!.id}:PENDING_SETTLEMENT`]]).toEqual([10000, 0]);
    await ledgerHolds(tenant.application.id);
  });

  it('担保消费: the 担保支付 is held, released by 担保确认 in parts (never more than held), the rest refundable before; the period confirms the remainder', async () => {
    const { tenant, agent, members } = await tenantWithMembers(1);
    const [shop] = members;
    const paid = await settled(
      agent,
      (
        await agent
          .post('/api/orders')
          .send({ kind: 'GUARANTEED_PAYMENT', bizOrderNo: 'G-1', amount: '100.00', receiver: shop!.bizUserId, paymentMethod: 'QUICK_PAY' })
      ).body.id,
    );
    expect(paid).toMatchObject({ status: 'SUCCESS', typeLabel: '担保消费-担保支付' });
    const view = () => balances(tenant.application.id).then((b) => [b[`${shop!.id}:PENDING_SETTLEMENT`], b.GUARANTEE, b.CLEARING]);
    expect(await view()).toEqual([0, 10000, -10000]);

    const confirm = (no: string, amount: string) =>
      agent.post('/api/orders').send({ kind: 'GUARANTEE_CONFIRMATION', bizOrderNo: no, amount, originalBizOrderNo: 'G-1' });
    const c1 = await confirm('GC-1', '30.00');
    expect(c1.status).toBe(201);
    expect(c1.body).toMatchObject({ status: 'SUCCESS', typeLabel: '担保消费-担保确认', related: { bizOrderNo: 'G-1' } });
    expect(await view()).toEqual([3000, 7000, -10000]);
    const over = await confirm('GC-2', '70.01');
    expect(over.status).toBe(422);
    expect(over.body.error).toMatchObject({ id: 'order.confirm_exceeds', details: { confirmableFen: 7000 } });
    // Before it is confirmed, part of what is held goes back to the card; what was confirmed cannot be refunded from the guarantee.
    const refund = await agent.post('/api/orders').send({ kind: 'REFUND', bizOrderNo: 'GR-1', amount: '20.00', originalBizOrderNo: 'G-1' });
    expect((await settled(agent, refund.body.id)).status).toBe('SUCCESS');
    expect(await view()).toEqual([3000, 5000, -8000]);
    expect((await agent.post('/api/orders').send({ kind: 'REFUND', bizOrderNo: 'GR-2', amount: '50.01', originalBizOrderNo: 'G-1' })).body.error.id).toBe(
      'order.refund_exceeds',
    );

    // The period ends (its flow's last step, run now): the 50.00 still held is confirmed, once.
    const acts = createActivities(h.services);
    const env = new MockActivityEnvironment({ workflowExecution: { workflowId: `payment-order:${paid.orderNo}`, runId: randomUUID() }, activityId: 'auto' });
    const input = { orderId: paid.id, orderNo: paid.orderNo, applicationId: tenant.application.id };
    expect(await env.run(acts.confirmGuaranteeRemainder, input)).toEqual({ confirmedFen: 5000 });
    expect(await env.run(acts.confirmGuaranteeRemainder, input)).toEqual({ confirmedFen: 5000 });
    expect(await view()).toEqual([8000, 0, -8000]);
    expect((await confirm('GC-3', '0.01')).body.error.id).toBe('order.confirm_exceeds');
    // 担保消费关联查询 pairs each confirmation with its payment.
    const links = (await agent.get('/api/orders/guarantee-links')).body.items;
    expect(
      links.map((l: { confirmation: { amountFen: number }; payment: { bizOrderNo: string } }) => [l.confirmation.amountFen, l.payment.bizOrderNo]).sort(),
    ).toEqual([
      [3000, 'G-1'],
      [5000, 'G-1'],
    ]);
    await ledgerHolds(tenant.application.id);
    await h.temporal.workflow.getHandle(`payment-order:${paid.orderNo}`).terminate('test done');
  });
});
