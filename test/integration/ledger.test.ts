import { seedLedger } from '../../lib/dev-stack/ledger-seed';
import { createOnboardedMember, createTenant, fileHarness } from '../support/harness';

describe('the demo history is booked by the product (double entry, balances, 期末余额)', () => {
  const h = fileHarness();

  it('books every order so movements sum to zero, balances are the sum of movements and snapshots match', async () => {
    const tenant = await createTenant(h.services);
    for (let i = 0; i < 4; i++) await createOnboardedMember(h.services, tenant.application.id, { card: true });
    const booked = await seedLedger(h.services, { appNo: tenant.application.appNo, days: 12, ordersPerDay: 25 });
    expect(booked.orders).toBeGreaterThan(200);
    expect(booked.movements).toBeGreaterThan(booked.orders);
    const app = tenant.application.id;
    const q = <T>(sql: TemplateStringsArray, ...v: unknown[]) => h.services.prisma.$queryRaw<T[]>(sql, ...v);

    const unbalanced = await q<{ n: bigint }>`
      SELECT count(*) AS n FROM (SELECT "orderId" FROM "Movement" m JOIN "Account" a ON a.id = m."accountId"
        WHERE a."applicationId" = ${app}::uuid GROUP BY "orderId" HAVING sum(m."amountFen") <> 0) x`;
    expect(Number(unbalanced[0]!.n)).toBe(0);
    const wrongBalance = await q<{ n: bigint }>`
      SELECT count(*) AS n FROM "Account" a LEFT JOIN (SELECT "accountId", sum("amountFen") AS s FROM "Movement" GROUP BY "accountId") m ON m."accountId" = a.id
      WHERE a."applicationId" = ${app}::uuid AND a."balanceFen" <> coalesce(m.s, 0)`;
    expect(Number(wrongBalance[0]!.n)).toBe(0);
    const wrongSnapshot = await q<{ n: bigint }>`
      SELECT count(*) AS n FROM "DailyBalance" d JOIN "Account" a ON a.id = d."accountId"
      WHERE a."applicationId" = ${app}::uuid AND d."balanceFen" <> coalesce(
        (SELECT sum(m."amountFen") FROM "Movement" m WHERE m."accountId" = d."accountId" AND m."businessDay" <= d.day), 0)`;
    expect(Number(wrongSnapshot[0]!.n)).toBe(0);
    const movedButNotSuccessful = await q<{ n: bigint }>`
      SELECT count(*) AS n FROM "Movement" m JOIN "Order" o ON o.id = m."orderId" WHERE o."applicationId" = ${app}::uuid AND o.status <> 'SUCCESS'`;
    expect(Number(movedButNotSuccessful[0]!.n)).toBe(0);
    const negativeMemberPayment = await q<{ n: bigint }>`
      SELECT count(*) AS n FROM "Movement" m JOIN "Account" a ON a.id = m."accountId"
      WHERE a."applicationId" = ${app}::uuid AND a.kind = 'PAYMENT' AND m."balanceAfterFen" < 0`;
    expect(Number(negativeMemberPayment[0]!.n)).toBe(0);
    // Placed through the product (each with the request it answers a repeat with), every one decided:
    // nothing waits for a flow that does not run; every 担保支付 was confirmed, so the 担保中间户 is empty.
    const orders = await h.services.prisma.order.findMany({ where: { applicationId: app }, select: { status: true, requestHash: true, type: true } });
    expect(orders.filter((o) => o.requestHash === null)).toEqual([]);
    expect(orders.filter((o) => o.status === 'CREATED' || o.status === 'PROCESSING')).toEqual([]);
    expect(new Set(orders.map((o) => o.type))).toEqual(
      new Set(['TOP_UP', 'CONSUMPTION', 'GUARANTEED_PAYMENT', 'GUARANTEE_CONFIRMATION', 'REFUND', 'WITHDRAWAL', 'TRANSFER', 'SETTLEMENT']),
    );
    const guarantee = await h.services.prisma.account.findFirstOrThrow({ where: { applicationId: app, memberId: null, kind: 'GUARANTEE' } });
    expect(guarantee.balanceFen).toBe(0n);
    // One 期末余额 per account and day of the history before today, written as the daily close writes them.
    const accounts = await h.services.prisma.account.count({ where: { applicationId: app } });
    const [eod] = await q<{ days: bigint; rows: bigint }>`
      SELECT count(DISTINCT d.day) AS days, count(*) AS rows FROM "DailyBalance" d JOIN "Account" a ON a.id = d."accountId" WHERE a."applicationId" = ${app}::uuid`;
    expect(Number(eod!.days)).toBe(12);
    expect(Number(eod!.rows)).toBe(accounts * 12);
    // A second run changes nothing.
    expect(await seedLedger(h.services, { appNo: tenant.application.appNo })).toEqual({ orders: 0, movements: 0 });
  });
});
