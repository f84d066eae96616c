/**
 * Accounts opened by the flows (seed 000 §1.5, §1.7): a member that finishes onboarding gets its
 * accounts with the agreements it signed, in both fund modes; applications get their system
 * accounts; opening is idempotent and the database refuses a second system account of a kind.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { openMemberAccounts, openSystemAccounts } from '../../lib/business/accounts';
import { placeOrder, settleOrder } from '../../lib/business/orders';
import { paymentOrderWorkflowId } from '../../workflows/ids';
import { cardNumber, idNumber, withConsent } from '../../test/support/fixtures';
import { createOnboardedMember, createTenant, fileHarness, signedInTenant, smsCodeFor, testNow, uniquePhone } from '../../test/support/harness';

describe('accounts opened by the flows (real Postgres, Temporal, SMS)', () => {
  const h = fileHarness();

  /** A member added by the platform goes through its link to the signing page; returns what signing needs. */
  async function toSigning(agent: request.Agent, bizUserId: string) {
    const created = await agent.post('/api/members').send({ type: 'INDIVIDUAL', bizUserId, name: '钱开户' });
    expect(created.status).toBe(201);
    const token = (created.body.link.url as string).split('/onboard/')[1]!;
    const member = request.agent(h.app.app);
    const phone = uniquePhone();
    await member
      .post(`/api/onboarding/${token}/real-name`)
      .send(withConsent({ name: '钱开户', idNumber: idNumber(), cardNumber: cardNumber('621700'), phone }))
      .expect(200);
    const beforeCode = new Date();
    await member.post(`/api/onboarding/${token}/phone-code`).send({ source: 'ON_FILE' }).expect(200);
    const bindCode = await smsCodeFor(h.config, phone, beforeCode);
    const beforeSigning = new Date();
    const view = await member.post(`/api/onboarding/${token}/phone-binding`).send({ code: bindCode });
    expect(view.body.stage).toBe('AGREEMENT_SIGNING');
    const signCode = await smsCodeFor(h.config, phone, beforeSigning);
    return { memberId: created.body.member.id as string, token, member, signCode, view: view.body };
  }

  it('post-settlement: signing opens the 簿记账户 and the 待结算户 under the 会员协议; nothing before it', async () => {
    const { tenant, agent } = await signedInTenant(h);
    const s = await toSigning(agent, 'acc-post-1');
    expect(s.view.agreements.map((a: { kind: string }) => a.kind)).toEqual(['MEMBER_SERVICE']);
    expect((await agent.get(`/api/members/${s.memberId}`)).body.accounts).toEqual([]);

    await s.member.post(`/api/onboarding/${s.token}/agreement-signature`).send({ code: s.signCode }).expect(200);
    const detail = (await agent.get(`/api/members/${s.memberId}`)).body;
    expect(detail.accounts.map((a: { kind: string; agreement: string; balance: string }) => [a.kind, a.agreement, a.balance])).toEqual([
      ['BOOKKEEPING', '云商通会员服务协议', '0.00'],
      ['PENDING_SETTLEMENT', '云商通会员服务协议', '0.00'],
    ]);
    for (const a of detail.accounts) expect(a.accountNo).toMatch(new RegExp(`^${tenant.application.appNo}0[13]\\d{10}$`));
    // 会员账户查询 lists them; the application's system accounts are not members' accounts.
    const listed = await agent.get('/api/accounts?bizUserId=acc-post-1');
    expect(listed.body.items.map((a: { kindLabel: string }) => a.kindLabel).sort()).toEqual(['待结算户', '簿记账户']);
    const system = await h.services.prisma.account.findMany({ where: { applicationId: tenant.application.id, memberId: null } });
    expect(system.map((a) => a.kind).sort()).toEqual(['CLEARING', 'COMMISSION', 'FEE', 'GUARANTEE']);
  });

  it('realtime settlement: one code signs the 会员协议 and the 会员支付账户协议, which opens the 支付账户', async () => {
    const { agent } = await signedInTenant(h, 'APPLICATION', 'REALTIME_SETTLEMENT');
    const s = await toSigning(agent, 'acc-rt-1');
    expect(s.view.agreements.map((a: { title: string }) => a.title)).toEqual(['云商通会员服务协议', '云商通会员支付账户服务协议']);

    await s.member.post(`/api/onboarding/${s.token}/agreement-signature`).send({ code: s.signCode }).expect(200);
    const detail = (await agent.get(`/api/members/${s.memberId}`)).body;
    expect(detail.accounts.map((a: { kind: string; agreement: string }) => [a.kind, a.agreement])).toEqual([
      ['BOOKKEEPING', '云商通会员服务协议'],
      ['PAYMENT', '云商通会员支付账户服务协议'],
    ]);
    // 会员支付账户协议管理 lists the second agreement, with the same signing evidence as the first.
    const payment = (await agent.get('/api/agreements?category=PAYMENT_ACCOUNT')).body.items;
    const member = (await agent.get('/api/agreements?category=MEMBER')).body.items;
    expect(payment.map((a: { title: string }) => a.title)).toEqual(['云商通会员支付账户服务协议']);
    expect(member.map((a: { title: string }) => a.title)).toEqual(['云商通会员服务协议']);
    expect(payment[0].signedPhone).toBe(member[0].signedPhone);
    expect(payment[0].signedPhone).toMatch(/^1\d{2}\*{4}\d{4}$/);
  });

  it('opening again opens nothing twice; a second system account of a kind is refused by the database', async () => {
    const { application } = await createTenant(h.services);
    const m = await createOnboardedMember(h.services, application.id);
    const { prisma } = h.services;
    for (let i = 0; i < 2; i++) {
      await openMemberAccounts(h.services.sql, { applicationId: application.id, memberId: m.id, kinds: ['BOOKKEEPING', 'PAYMENT'], agreementId: null });
      await openSystemAccounts(prisma, application.id);
    }
    expect(await prisma.account.count({ where: { memberId: m.id } })).toBe(2);
    expect(await prisma.account.count({ where: { applicationId: application.id, memberId: null } })).toBe(4);
    await expect(
      prisma.$executeRaw`INSERT INTO "Account" (id, "applicationId", kind, "accountNo") VALUES (${randomUUID()}::uuid, ${application.id}::uuid, 'CLEARING', ${`DUP${randomUUID()}`})`,
    ).rejects.toThrow(/Account_system_kind_key|unique/i);
  });

  it('查看详情: a movement of 账户明细 opens its order; other accounts and other applications see nothing', async () => {
    const { tenant, agent } = await signedInTenant(h);
    const m = await createOnboardedMember(h.services, tenant.application.id);
    await openMemberAccounts(h.services.sql, { applicationId: tenant.application.id, memberId: m.id, kinds: ['BOOKKEEPING', 'PAYMENT'], agreementId: null });
    const placed = await placeOrder(
      h.services.sql,
      tenant.application.id,
      { kind: 'TOP_UP', bizOrderNo: 'MV-1', amountFen: 4321, receiverMemberId: m.id, paymentMethod: 'QUICK_PAY' },
      testNow(),
      paymentOrderWorkflowId,
    );
    await settleOrder(h.services.sql, placed.order.id, { status: 'SUCCESS', channelSerial: 'CH-TEST' }, testNow());
    const payment = await h.services.prisma.account.findFirstOrThrow({ where: { memberId: m.id, kind: 'PAYMENT' } });
    const bookkeeping = await h.services.prisma.account.findFirstOrThrow({ where: { memberId: m.id, kind: 'BOOKKEEPING' } });
    const list = (await agent.get(`/api/accounts/${payment.id}/movements`)).body.items;
    expect(list).toHaveLength(1);
    const detail = await agent.get(`/api/accounts/${payment.id}/movements/${list[0].id}/order`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ bizOrderNo: 'MV-1', typeLabel: '充值-充值', statusLabel: '交易成功', amountFen: 4321, paymentMethod: '快捷支付' });
    expect(detail.body.movements).toEqual([expect.objectContaining({ amountFen: 4321, balanceAfterFen: '4321' })]);
    expect((await agent.get(`/api/accounts/${bookkeeping.id}/movements/${list[0].id}/order`)).status).toBe(404);
    const other = await signedInTenant(h);
    expect((await other.agent.get(`/api/accounts/${payment.id}/movements/${list[0].id}/order`)).status).toBe(404);
    expect((await agent.get(`/api/accounts/${payment.id}/movements/not-a-uuid/order`)).status).toBe(400);
  });

  it('账户明细 lists movements in the order they were booked: each running balance follows from the next older one', async () => {
    const { tenant, agent } = await signedInTenant(h);
    const member = await createOnboardedMember(h.services, tenant.application.id);
    await openMemberAccounts(h.services.sql, {
      applicationId: tenant.application.id,
      memberId: member.id,
      kinds: ['BOOKKEEPING', 'PAYMENT', 'PENDING_SETTLEMENT'],
      agreementId: null,
    });
    // Card consumptions: each books its receipt and its card fee on the 待结算户 at one instant.
    const at = testNow();
    for (let i = 0; i < 6; i++) {
      const placed = await placeOrder(
        h.services.sql,
        tenant.application.id,
        { kind: 'CONSUMPTION', bizOrderNo: `SEQ-${i}`, amountFen: 10_000 + i * 101, receiverMemberId: member.id, paymentMethod: 'QUICK_PAY' },
        at,
        () => null,
      );
      await settleOrder(h.services.sql, placed.order.id, { status: 'SUCCESS' }, at);
    }
    const account = await h.services.prisma.account.findFirstOrThrow({ where: { memberId: member.id, kind: 'PENDING_SETTLEMENT' } });
    const list = (await agent.get(`/api/accounts/${account.id}/movements?pageSize=100`).expect(200)).body.items as {
      amountFen: number;
      balanceAfterFen: string;
    }[];
    expect(list).toHaveLength(12);
    expect(list[0]!.balanceAfterFen).toBe(account.balanceFen.toString());
    for (let i = 0; i + 1 < list.length; i++) expect(Number(list[i]!.balanceAfterFen) - list[i]!.amountFen).toBe(Number(list[i + 1]!.balanceAfterFen));
    expect(Number(list.at(-1)!.balanceAfterFen) - list.at(-1)!.amountFen).toBe(0);
  });
});
