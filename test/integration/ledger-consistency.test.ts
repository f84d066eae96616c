/**
 * The ledger under concurrency and over random order sequences: 200+ concurrent orders (overdrafts
 * included) at five members' accounts through the API and the sandbox channel, and a fast-check
 * property over random sequences against a model. Every time: each account's balance is the sum
 * of its movements, each order's postings sum to zero, no member account goes below what is held
 * on it, nothing stays reserved, and a refused order records nothing.
 */
import fc from 'fast-check';
import { sealedBankCard } from '../../lib/business/bank-cards';
import { placeOrder, settleOrder } from '../../lib/business/orders';
import { paymentOrderWorkflowId } from '../../workflows/ids';
import { cardNumber } from '../support/fixtures';
import { createMemberWithAccounts, createTenant, eventually, fileHarness, signIn, testNow } from '../support/harness';

describe('ledger consistency', () => {
  const h = fileHarness();

  async function tenantWith(n: number) {
    const tenant = await createTenant(h.services);
    const members = [];
    for (let i = 0; i < n; i++) members.push(await createMemberWithAccounts(h.services, tenant.application.id));
    return { tenant, members };
  }

  async function invariants(applicationId: string) {
    const one = async (text: string) => (await h.services.sql.query<{ n: number }>(text, [applicationId])).rows[0]!.n;
    return {
      unbalancedOrders: await one(`SELECT count(*)::int AS n FROM (SELECT m."orderId" FROM "Movement" m JOIN "Order" o ON o.id = m."orderId"
        WHERE o."applicationId" = $1::uuid GROUP BY m."orderId" HAVING sum(m."amountFen") <> 0) x`),
      wrongBalances:
        await one(`SELECT count(*)::int AS n FROM "Account" a LEFT JOIN (SELECT "accountId", sum("amountFen") AS s FROM "Movement" GROUP BY "accountId") m
        ON m."accountId" = a.id WHERE a."applicationId" = $1::uuid AND a."balanceFen" <> coalesce(m.s, 0)`),
      overdrawn: await one(
        `SELECT count(*)::int AS n FROM "Account" WHERE "applicationId" = $1::uuid AND "memberId" IS NOT NULL AND "balanceFen" < "reservedFen"`,
      ),
      stillReserved: await one(`SELECT count(*)::int AS n FROM "Account" WHERE "applicationId" = $1::uuid AND "reservedFen" <> 0`),
      bookedButNotSuccessful: await one(
        `SELECT count(*)::int AS n FROM "Movement" m JOIN "Order" o ON o.id = m."orderId" WHERE o."applicationId" = $1::uuid AND o.status <> 'SUCCESS'`,
      ),
    };
  }
  const HOLDS = { unbalancedOrders: 0, wrongBalances: 0, overdrawn: 0, stillReserved: 0, bookedButNotSuccessful: 0 };

  it('220 concurrent orders at five accounts, overdrafts included, keep every invariant', async () => {
    const { tenant, members } = await tenantWith(5);
    const agent = await signIn(h.app, tenant.username, tenant.password);
    const cards: string[] = [];
    for (const m of members) {
      const card = await h.services.prisma.bankCard.create({
        data: {
          memberId: m.id,
          ...sealedBankCard(h.services.crypto, { cardNumber: cardNumber('621700'), holderName: '测试会员', reservedPhone: m.phone! }, testNow()),
        },
      });
      cards.push(card.id);
    }
    const decided = (id: string) =>
      eventually(
        () => agent.get(`/api/orders/${id}`).then((r) => r.body.status as string),
        (s) => ['SUCCESS', 'FAILED', 'CLOSED'].includes(s),
        `order ${id}`,
        60_000,
      );
    // 100.00 each to start with.
    const funding = await Promise.all(
      members.map((m, i) =>
        agent.post('/api/orders').send({ kind: 'TOP_UP', bizOrderNo: `FUND-${i}`, amount: '100.00', receiver: m.bizUserId, paymentMethod: 'QUICK_PAY' }),
      ),
    );
    for (const f of funding) expect(await decided(f.body.id)).toBe('SUCCESS');

    let seed = 20261201;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const requests = Array.from({ length: 220 }, (_, i) => {
      const a = rand(5);
      const b = (a + 1 + rand(4)) % 5;
      // Up to 60.00, so payers run dry and overdrafts are refused.
      const amount = `${1 + rand(60)}.${String(rand(100)).padStart(2, '0')}`.replace(/\.(44|66|99)$/, '.10');
      const kind = ['TRANSFER', 'TRANSFER', 'CONSUMPTION', 'WITHDRAWAL'][rand(4)]!;
      const base = { bizOrderNo: `C-${i}`, amount, receiver: members[a]!.bizUserId };
      if (kind === 'WITHDRAWAL') return { ...base, kind, cardId: cards[a] };
      return { ...base, kind, payer: members[b]!.bizUserId, ...(kind === 'CONSUMPTION' ? { paymentMethod: 'BALANCE' } : {}) };
    });
    const answers = await Promise.all(requests.map((r) => agent.post('/api/orders').send(r)));
    const refused = answers.filter((a) => a.status === 422);
    expect(answers.every((a) => a.status === 201 || a.status === 422)).toBe(true);
    expect(refused.every((a) => a.body.error.id === 'order.insufficient_balance')).toBe(true);
    expect(refused.length).toBeGreaterThan(10);
    expect(answers.length - refused.length).toBeGreaterThan(50);
    for (const a of answers.filter((x) => x.status === 201)) await decided(a.body.id);

    expect(await invariants(tenant.application.id)).toEqual(HOLDS);
    const orders = await h.services.prisma.order.count({ where: { applicationId: tenant.application.id } });
    expect(orders).toBe(5 + answers.length - refused.length);
  });

  it('random order sequences agree with a model of the balances (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ payer: fc.nat(2), receiver: fc.nat(2), fen: fc.integer({ min: 1, max: 9_000 }), kind: fc.constantFrom('TRANSFER', 'CONSUMPTION') }),
          {
            minLength: 1,
            maxLength: 12,
          },
        ),
        async (steps) => {
          const { tenant, members } = await tenantWith(3);
          const app = tenant.application.id;
          const at = testNow();
          const model = members.map(() => 5_000);
          const receipts = members.map(() => 0);
          for (const [i, m] of members.entries()) {
            const placed = await placeOrder(
              h.services.sql,
              app,
              { kind: 'TOP_UP', bizOrderNo: `F${i}`, amountFen: 5_000, receiverMemberId: m.id, paymentMethod: 'QUICK_PAY' },
              at,
              paymentOrderWorkflowId,
            );
            await settleOrder(h.services.sql, placed.order.id, { status: 'SUCCESS' }, at);
          }
          for (const [i, s] of steps.entries()) {
            if (s.payer === s.receiver) continue;
            const fits = model[s.payer]! >= s.fen;
            const r = placeOrder(
              h.services.sql,
              app,
              {
                kind: s.kind,
                bizOrderNo: `S${i}`,
                amountFen: s.fen,
                receiverMemberId: members[s.receiver]!.id,
                payerMemberId: members[s.payer]!.id,
                paymentMethod: 'BALANCE',
              },
              at,
              paymentOrderWorkflowId,
            );
            if (!fits) {
              await expect(r).rejects.toMatchObject({ id: 'order.insufficient_balance' });
              continue;
            }
            expect((await r).order.status).toBe('SUCCESS');
            model[s.payer]! -= s.fen;
            // A transfer lands on the payee's 支付账户; a consumption on its 待结算户 (post-settlement).
            if (s.kind === 'TRANSFER') model[s.receiver]! += s.fen;
            else receipts[s.receiver]! += s.fen;
          }
          const accounts = await h.services.prisma.account.findMany({ where: { applicationId: app, memberId: { not: null } } });
          const of = (memberId: string, kind: string) => Number(accounts.find((a) => a.memberId === memberId && a.kind === kind)!.balanceFen);
          expect(members.map((m) => of(m.id, 'PAYMENT'))).toEqual(model);
          expect(members.map((m) => of(m.id, 'PENDING_SETTLEMENT'))).toEqual(receipts);
          expect(await invariants(app)).toEqual(HOLDS);
        },
      ),
      { numRuns: 12 },
    );
  });
});
