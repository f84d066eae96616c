/**
 * The client example's whole integration (scripts/examples/openapi-client.ts runScenario) against
 * the real app over HTTP: keys saved in 证书管理, two members by 平台代开户 with sealed fields, their
 * onboarding completed by the members' SMS codes, an order of each kind decided by the sandbox
 * channel, the 充值's result taken by a callback whose platform signature checks.
 */
import type { AddressInfo } from 'node:net';
import { runScenario, setUpKeys } from '../../scripts/examples/openapi-client';
import { createTenant, fileHarness } from '../../test/support/harness';

describe('the open API client example, end to end', () => {
  const h = fileHarness();

  it('onboards two members and makes an order of each kind through signed requests only', async () => {
    const t = await createTenant(h.services);
    const portal = { user: t.username, password: t.password };
    const server = h.app.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const web = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const keys = await setUpKeys({ base: web, ...portal });
      expect(keys.appNo).toBe(t.application.appNo);
      const lines: string[] = [];
      const result = await runScenario({ web, outbox: h.config.OUTBOX_URL!, keys, portal, log: (l) => lines.push(l) });

      expect(result.members.map((m) => [m.status, m.accounts.length > 0, m.bankCards.length])).toEqual([
        ['NORMAL', true, 1],
        ['NORMAL', true, 1],
      ]);
      const outcome = Object.fromEntries(result.orders.map((o) => [o.what, o.order?.status ?? o.error?.id]));
      expect(outcome).toEqual({
        充值: 'SUCCESS',
        '充值（渠道拒绝）': 'FAILED',
        消费: 'SUCCESS',
        退款: 'SUCCESS',
        担保支付: 'SUCCESS',
        担保确认: 'SUCCESS',
        转账: 'SUCCESS',
        提现: 'SUCCESS',
        结算: 'SUCCESS',
      });
      expect(result.callback).toMatchObject({ verified: true, order: { kind: 'TOP_UP', status: 'SUCCESS', amount: '200.00' } });
      expect(lines.some((l) => /same 商户订单号 again: HTTP 200/.test(l))).toBe(true);
      // Nothing but what the scenario made: two members, one order per line of the plan.
      expect(await h.services.prisma.member.count({ where: { applicationId: t.application.id } })).toBe(2);
      expect(await h.services.prisma.order.count({ where: { applicationId: t.application.id } })).toBe(result.orders.length);
    } finally {
      server.close();
    }
  });
});
