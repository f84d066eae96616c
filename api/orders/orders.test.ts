import ExcelJS from 'exceljs';
import type request from 'supertest';
import { businessDay, dayStart } from '../../domain/ledger';
import { seedLedger } from '../../lib/dev-stack/ledger-seed';
import { type Harness, binaryBody, createOnboardedMember, createTenant, signIn, startHarness, testNow } from '../../test/support/harness';

describe('订单查询, 担保消费关联查询 and 账户管理 over the demo ledger', () => {
  let h: Harness;
  let agent: request.Agent;
  let appId: string;
  beforeAll(async () => {
    h = await startHarness();
    const tenant = await createTenant(h.services);
    appId = tenant.application.id;
    for (let i = 0; i < 4; i++) await createOnboardedMember(h.services, appId, { card: true });
    await seedLedger(h.services, { appNo: tenant.application.appNo, days: 40, ordersPerDay: 20 });
    agent = await signIn(h.app, tenant.username, tenant.password);
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** The application's orders created on the business days from … to (inclusive), read from the database. */
  const ordersBetween = (from: string, to: string) =>
    h.services.prisma.order.findMany({
      where: { applicationId: appId, createdAt: { gte: dayStart(from), lt: new Date(dayStart(to).getTime() + 86_400_000) } },
      select: { id: true, type: true, amountFen: true },
    });

  it('defaults to the current month, refuses bad or too long ranges, and finds an order by any of its five numbers', async () => {
    const list = await agent.get('/api/orders?pageSize=100');
    const today = businessDay(h.services.clock.now());
    const month = today.slice(0, 7);
    expect(list.body.range).toMatchObject({ from: `${month}-01`, to: today });
    // Every order of this month so far, and no other (on the 1st shortly after midnight there may be none yet).
    const thisMonth = await ordersBetween(`${month}-01`, today);
    expect(list.body.total).toBe(thisMonth.length);
    expect(list.body.items).toHaveLength(Math.min(100, thisMonth.length));
    expect(list.body.items.every((o: { createdAt: string }) => businessDay(new Date(o.createdAt)).startsWith(month))).toBe(true);
    for (const [query, id] of [
      ['from=2026-01-01&to=2026-06-01', 'query.range_too_long'],
      ['from=2026-11-10&to=2026-11-01', 'query.range_invalid'],
      ['from=2026-02-30', 'request.invalid'],
      ['type=PAYMENT', 'request.invalid'],
      ['minYuan=1.234', 'request.invalid'],
    ] as const) {
      const res = await agent.get(`/api/orders?${query}`);
      expect([res.status, res.body.error.id]).toEqual([400, id]);
    }
    const sample = await h.services.prisma.order.findFirstOrThrow({
      where: {
        applicationId: appId,
        channelSerial: { not: null },
        backendSerial: { not: null },
        createdAt: { gte: new Date(testNow().getTime() - 20 * 86_400_000) },
      },
    });
    const from = businessDay(new Date(testNow().getTime() - 30 * 86_400_000));
    for (const q of [sample.orderNo, sample.bizOrderNo, sample.requestSerial!, sample.channelSerial!, sample.backendSerial!]) {
      const res = await agent.get(`/api/orders?from=${from}&q=${encodeURIComponent(q)}`);
      expect(res.body.items.map((o: { id: string }) => o.id)).toEqual([sample.id]);
    }
    const detail = await agent.get(`/api/orders/${sample.id}`);
    expect(detail.body.movements.reduce((s: number, m: { amountFen: number }) => s + m.amountFen, 0)).toBe(0);
    const inRange = await ordersBetween(from, businessDay(h.services.clock.now()));
    const withdrawals = inRange.filter((o) => o.type === 'WITHDRAWAL');
    expect(withdrawals.length).toBeGreaterThan(0);
    const byType = await agent.get(`/api/orders?from=${from}&type=WITHDRAWAL&pageSize=100`);
    expect(byType.body.total).toBe(withdrawals.length);
    expect(byType.body.items.every((o: { typeLabel: string }) => o.typeLabel === '提现-提现')).toBe(true);
    const between = inRange.filter((o) => o.amountFen >= 1000 && o.amountFen <= 2050);
    expect(between.length).toBeGreaterThan(0);
    const byAmount = await agent.get(`/api/orders?from=${from}&minYuan=10&maxYuan=20.5&pageSize=100`);
    expect(byAmount.body.total).toBe(between.length);
    expect(byAmount.body.items.every((o: { amountFen: number }) => o.amountFen >= 1000 && o.amountFen <= 2050)).toBe(true);
  });

  it('links each 担保确认 to its 担保支付', async () => {
    const from = businessDay(new Date(testNow().getTime() - 40 * 86_400_000));
    const links = await agent.get(`/api/orders/guarantee-links?from=${from}&pageSize=100`);
    expect(links.body.total).toBeGreaterThan(0);
    for (const l of links.body.items) {
      expect(l.confirmation.typeLabel).toBe('担保消费-担保确认');
      expect(l.payment.typeLabel).toBe('担保消费-担保支付');
      expect(l.payment.amountFen).toBe(l.confirmation.amountFen);
    }
    const one = links.body.items[0];
    const byPayment = await agent.get(`/api/orders/guarantee-links?from=${from}&q=${one.payment.orderNo}`);
    expect(byPayment.body.items.map((x: { id: string }) => x.id)).toEqual([one.id]);
  });

  it('lists the three member accounts with balances, their movements, end-of-day balances and an XLSX export with the filter', async () => {
    const accounts = await agent.get('/api/accounts?pageSize=100');
    expect(accounts.body.total).toBe(12);
    expect(new Set(accounts.body.items.map((a: { kindLabel: string }) => a.kindLabel))).toEqual(new Set(['簿记账户', '支付账户', '待结算户']));
    const account = accounts.body.items.find((a: { kind: string; balanceFen: string }) => a.kind === 'PENDING_SETTLEMENT' && a.balanceFen !== '0');
    const from = businessDay(new Date(testNow().getTime() - 40 * 86_400_000));
    const movements = await agent.get(`/api/accounts/${account.id}/movements?from=${from}&pageSize=100`);
    expect(movements.body.total).toBeGreaterThan(0);
    expect(movements.body.items[0].balanceAfterFen).toBe(account.balanceFen);
    const balances = await agent.get(`/api/accounts/${account.id}/daily-balances?from=${from}&pageSize=100`);
    expect(balances.body.total).toBeGreaterThan(30);

    const xlsx = await agent.get(`/api/accounts/${account.id}/movements/export?from=${from}`).buffer(true).parse(binaryBody);
    expect(xlsx.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as ArrayBuffer);
    const rows: string[][] = [];
    wb.worksheets[0]!.eachRow((r) => rows.push((r.values as unknown[]).slice(1).map(String)));
    expect(rows[0]).toEqual(['账户明细导出']);
    expect(rows[2]).toEqual(['日期区间', `${from} 至 ${businessDay(testNow())}`, '记录数', String(movements.body.total)]);
    expect(rows[4]).toEqual(['交易时间', '云商通订单号', '商户订单号', '订单类型', '收支方向', '发生额(元)', '余额(元)']);
    expect(rows).toHaveLength(5 + movements.body.total);

    const other = await createTenant(h.services);
    const otherAgent = await signIn(h.app, other.username, other.password);
    expect((await otherAgent.get(`/api/accounts/${account.id}/movements`)).body.error.id).toBe('account.not_found');
    expect((await otherAgent.get(`/api/orders/${movements.body.items[0].orderId}`)).body.error.id).toBe('order.not_found');
    expect((await otherAgent.get('/api/orders')).body.total).toBe(0);
  });

  it('refuses an export above 10,000 rows with the count in the message', async () => {
    const account = await h.services.prisma.account.findFirstOrThrow({ where: { applicationId: appId, kind: 'BOOKKEEPING' } });
    const order = await h.services.prisma.order.findFirstOrThrow({ where: { applicationId: appId } });
    await h.services.prisma.$executeRaw`
      INSERT INTO "Movement" (id, "accountId", "orderId", "amountFen", "balanceAfterFen", "bookedAt", "businessDay")
      SELECT gen_random_uuid(), ${account.id}::uuid, ${order.id}::uuid, 0, 0, ${testNow()}::timestamp, ${businessDay(testNow())}
      FROM generate_series(1, 10001) AS i`;
    const res = await agent.get(`/api/accounts/${account.id}/movements/export`);
    expect([res.status, res.body.error.id]).toEqual([422, 'export.too_many']);
    expect(res.body.error.message).toContain('10001');
  });
});
