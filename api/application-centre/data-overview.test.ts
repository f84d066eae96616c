import { seedLedger } from '../../lib/dev-stack/ledger-seed';
import { businessDay } from '../../domain/ledger';
import { DATA_OVERVIEW_SCHEDULE_ID } from '../../lib/adapters/schedules';
import { createOnboardedMember, createTenant, eventually, signIn, testNow, fileHarness } from '../../test/support/harness';
import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { openMemberAccounts } from '../../lib/business/accounts';
import { placeOrder, settleOrder } from '../../lib/business/orders';
import { paymentOrderWorkflowId } from '../../workflows/ids';

const DAY = 24 * 3600 * 1000;

describe('应用中心 → 数据概览 and 基本信息', () => {
  const h = fileHarness();

  it("today's figures and the trend per day come from the 5-minute schedule, with the platform commission", async () => {
    const t = await createTenant(h.services);
    for (let i = 0; i < 3; i++) await createOnboardedMember(h.services, t.application.id);
    const { prisma } = h.services;
    await seedLedger(h.services, { appNo: t.application.appNo, days: 2, ordersPerDay: 40 });
    // A top-up just now, so that today has figures whatever the hour (just after midnight the generated day is empty).
    const receiver = await prisma.member.findFirstOrThrow({ where: { applicationId: t.application.id } });
    await prisma.order.create({
      data: {
        applicationId: t.application.id,
        orderNo: `NOW-${t.application.appNo}`,
        bizOrderNo: 'NOW-1',
        type: 'TOP_UP',
        status: 'SUCCESS',
        receiverMemberId: receiver.id,
        amountFen: 5000,
        createdAt: testNow(),
      },
    });
    const orders = await prisma.order.findMany({ where: { applicationId: t.application.id, status: 'SUCCESS' } });
    const consumption = orders.find((o) => o.type === 'CONSUMPTION')!;
    await prisma.splitDetail.create({
      data: {
        orderId: consumption.id,
        applicationId: t.application.id,
        fromMemberId: consumption.receiverMemberId,
        kind: 'COMMISSION',
        amountFen: 123,
        status: 'SUCCESS',
        // Split when its order was paid (on the app's clock, which TEST_NOW may move years ahead of the database's).
        createdAt: consumption.createdAt,
      },
    });
    const expected = (day: string, type: string) => {
      const own = orders.filter((o) => o.type === type && businessDay(o.createdAt) === day);
      return {
        count: own.length,
        amountFen: own.reduce((s, o) => s + Number(o.amountFen), 0),
        commissionFen: own.some((o) => o.id === consumption.id) ? 123 : 0,
      };
    };

    // The schedule exists with its 5-minute interval; triggering it is what the clock does every 5 minutes.
    const schedule = h.temporal.schedule.getHandle(DATA_OVERVIEW_SCHEDULE_ID);
    const described = await schedule.describe();
    expect(described.spec.intervals?.[0]?.every).toBe(5 * 60 * 1000);
    await schedule.trigger();

    const portal = await signIn(h.app, t.username, t.password);
    const today = businessDay(testNow());
    const todayFigures = ['TOP_UP', 'CONSUMPTION', 'GUARANTEED_PAYMENT', 'WITHDRAWAL', 'REFUND', 'TRANSFER'].map((type) => ({
      type,
      ...expected(today, type),
    }));
    const view = await eventually(
      async () => (await portal.get('/api/application-centre/overview').expect(200)).body,
      (v) => v.items.some((i: { count: number }) => i.count > 0),
      "today's figures after the scheduled refresh",
      30_000,
    );
    expect(view.items.map(({ label: _l, ...i }: { label: string }) => i)).toEqual(todayFigures);
    expect(view.refreshedAt).not.toBeNull();
    expect(view.items.map((i: { label: string }) => i.label)).toEqual(['充值', '消费', '担保消费', '提现', '退款', '转账']);
    // 当日入金 adds up 充值, 消费 and 担保支付; 提现 and 退款 stand alone.
    const sum = (types: string[]) =>
      types
        .map((t) => expected(today, t))
        .reduce((a, b) => ({ count: a.count + b.count, amountFen: a.amountFen + b.amountFen, commissionFen: a.commissionFen + b.commissionFen }));
    expect(view.totals).toEqual([
      { key: 'INFLOW', label: '入金', ...sum(['TOP_UP', 'CONSUMPTION', 'GUARANTEED_PAYMENT']) },
      { key: 'WITHDRAWAL', label: '提现', ...sum(['WITHDRAWAL']) },
      { key: 'REFUND', label: '退款', ...sum(['REFUND']) },
    ]);

    const from = businessDay(new Date(testNow().getTime() - 6 * DAY));
    const trend = (await portal.get('/api/application-centre/trends').query({ from, to: today, types: 'CONSUMPTION,REFUND' }).expect(200)).body;
    expect(trend.days).toHaveLength(7);
    expect(trend.series.map((s: { type: string }) => s.type)).toEqual(['CONSUMPTION', 'REFUND']);
    for (const s of trend.series as { type: string; points: { day: string; count: number; amountFen: number; commissionFen: number }[] }[]) {
      for (const p of s.points) expect({ count: p.count, amountFen: p.amountFen, commissionFen: p.commissionFen }).toEqual(expected(p.day, s.type));
    }
    expect(trend.series[0].points.reduce((n: number, p: { commissionFen: number }) => n + p.commissionFen, 0)).toBe(123);
  });

  it('each refresh after the first recomputes only the application-days whose orders changed, 转账 included', async () => {
    const { sql, prisma } = h.services;
    const refresh = (now: Date) =>
      new MockActivityEnvironment({ workflowExecution: { workflowId: `data-overview-${randomUUID()}`, runId: randomUUID() }, activityId: '1' }).run(
        createActivities(h.services).refreshTradeStats,
        { now: now.toISOString() },
      );
    const tenantWithTransfer = async (no: string) => {
      const t = await createTenant(h.services);
      const [a, b] = [await createOnboardedMember(h.services, t.application.id), await createOnboardedMember(h.services, t.application.id)];
      for (const m of [a, b]) await openMemberAccounts(sql, { applicationId: t.application.id, memberId: m.id, kinds: ['PAYMENT'], agreementId: null });
      const fund = await placeOrder(
        sql,
        t.application.id,
        { kind: 'TOP_UP', bizOrderNo: `${no}-F`, amountFen: 900, receiverMemberId: a.id, paymentMethod: 'QUICK_PAY' },
        testNow(),
        paymentOrderWorkflowId,
      );
      await settleOrder(sql, fund.order.id, { status: 'SUCCESS' }, testNow());
      await placeOrder(
        sql,
        t.application.id,
        { kind: 'TRANSFER', bizOrderNo: no, amountFen: 700, receiverMemberId: b.id, payerMemberId: a.id, paymentMethod: 'BALANCE' },
        testNow(),
        paymentOrderWorkflowId,
      );
      return t.application.id;
    };
    const statOf = (applicationId: string, type: string) =>
      prisma.dailyTradeStat.findUnique({ where: { applicationId_day_type: { applicationId, day: businessDay(testNow()), type } } });

    const first = await tenantWithTransfer('TR-A');
    const t1 = new Date(testNow().getTime() + 1000);
    await refresh(t1);
    expect(await statOf(first, 'TRANSFER')).toMatchObject({ count: 1, amountFen: 700n, refreshedAt: t1 });
    // The first tenant's orders are old news (changed well before the last refresh); a second tenant's are new.
    await prisma.$executeRaw`UPDATE "Order" SET "updatedAt" = "updatedAt" - interval '1 hour' WHERE "applicationId" = ${first}::uuid`;
    await prisma.tradeStatRefresh.update({ where: { id: 1 }, data: { countedUpTo: new Date(Date.now() - 60_000) } });
    const second = await tenantWithTransfer('TR-B');
    const t2 = new Date(testNow().getTime() + 2000);
    await refresh(t2);
    expect(await statOf(second, 'TRANSFER')).toMatchObject({ count: 1, amountFen: 700n, refreshedAt: t2 });
    expect(await statOf(first, 'TRANSFER')).toMatchObject({ count: 1, refreshedAt: t1 });
  });

  it('refuses ranges over 90 days, in the future or reversed, and unknown types; sees only its own figures', async () => {
    const t = await createTenant(h.services);
    const portal = await signIn(h.app, t.username, t.password);
    const today = businessDay(testNow());
    const msg = async (q: Record<string, string>) => (await portal.get('/api/application-centre/trends').query(q).expect(400)).body.error.message;
    expect(await msg({ from: businessDay(new Date(testNow().getTime() - 90 * DAY)), to: today })).toBe('查询范围最多90天');
    expect(
      (
        await portal
          .get('/api/application-centre/trends')
          .query({ from: businessDay(new Date(testNow().getTime() - 89 * DAY)), to: today })
          .expect(200)
      ).body.days,
    ).toHaveLength(90);
    expect(await msg({ from: today, to: businessDay(new Date(testNow().getTime() + DAY)) })).toBe('结束日期不能晚于今天');
    expect(await msg({ from: today, to: businessDay(new Date(testNow().getTime() - DAY)) })).toBe('开始日期不能晚于结束日期');
    expect(await msg({ from: today, to: today, types: 'LOAN' })).toContain('交易类型');
    expect(await msg({ from: '2026/01/01', to: today })).toContain('YYYY-MM-DD');
    const empty = (await portal.get('/api/application-centre/overview').expect(200)).body;
    // A tenant without orders sees every type, each at zero.
    expect(empty.items.map((i: { type: string; count: number; amountFen: number }) => [i.type, i.count, i.amountFen])).toEqual(
      ['TOP_UP', 'CONSUMPTION', 'GUARANTEED_PAYMENT', 'WITHDRAWAL', 'REFUND', 'TRANSFER'].map((type) => [type, 0, 0]),
    );
  });

  it("基本信息 shows the fund mode, custody and the balances of the application's accounts", async () => {
    const t = await createTenant(h.services);
    for (let i = 0; i < 2; i++) await createOnboardedMember(h.services, t.application.id);
    const { prisma } = h.services;
    // The platform's own enterprise member, same name (同名小b).
    const own = await createOnboardedMember(h.services, t.application.id, { name: t.application.name });
    await prisma.member.update({ where: { id: own.id }, data: { type: 'ENTERPRISE', companyName: t.application.name } });
    await seedLedger(h.services, { appNo: t.application.appNo, days: 2, ordersPerDay: 10 });
    await prisma.application.update({ where: { id: t.application.id }, data: { custodyMode: 'BANK', custodyBank: '苏商银行' } });
    const portal = await signIn(h.app, t.username, t.password);
    const info = (await portal.get('/api/application-centre/basic-info').expect(200)).body;
    const accounts = await prisma.account.findMany({ where: { applicationId: t.application.id } });
    const sum = (kinds: string[]) => accounts.filter((a) => kinds.includes(a.kind)).reduce((s, a) => s + Number(a.balanceFen), 0);
    expect(info).toMatchObject({
      fundModeLabel: '账后结算',
      custodyLabel: '银行存管（苏商银行）',
      applicationAccountBalanceFen: sum(['CLEARING', 'GUARANTEE', 'COMMISSION', 'FEE']),
    });
    // The bank holds what the payment channels paid in, net: the opposite of the channel clearing account,
    // which by double entry is what the members', the guarantee, the commission and the fee accounts hold together.
    const paidIn = -sum(['CLEARING']);
    expect(paidIn).toBeGreaterThan(0);
    expect(info.bankBalanceFen).toBe(paidIn);
    expect(info.accounts.find((a: { kind: string }) => a.kind === 'PAYMENT').count).toBe(3);
    const ownAccounts = accounts.filter((a) => a.memberId === own.id);
    expect(info.sameEntityAccounts.map((a: { accountNo: string; balanceFen: number }) => [a.accountNo, a.balanceFen]).sort()).toEqual(
      ownAccounts.map((a) => [a.accountNo, Number(a.balanceFen)]).sort(),
    );
    expect(info.sameEntityAccounts).toHaveLength(3);
  });
});
