/**
 * A test client of the order services: signs in to the portal as a platform, makes an order of
 * each kind through POST /api/orders and prints how each ends (through the sandbox channel of
 * `npm start`), then the accounts it moved. The signed open API places orders through the same service
 * (`scripts/examples/openapi-client.ts scenario` does it by signed requests).
 *
 *   npx tsx scripts/examples/orders-client.ts                  (the demo platform 示例商城 of npm start)
 *   YST_WEB=http://127.0.0.1:3000 YST_USER=1001001 YST_PASSWORD=Demo@2026 npx tsx scripts/examples/orders-client.ts
 */
import { browser } from './openapi-client';

export interface Portal {
  base: string;
  user: string;
  password: string;
}

export interface Order {
  id: string;
  orderNo: string;
  typeLabel: string;
  status: string;
  statusLabel: string;
  failureReason: string | null;
  amountFen: number;
  movements: { accountNo: string; accountKind: string; amountFen: number }[];
  splits: { kind: string; amountFen: number }[];
}

type Call = ReturnType<typeof browser>;

async function decided(call: Call, id: string): Promise<Order> {
  for (let i = 0; i < 100; i++) {
    const { body } = await call<Order>('GET', `/api/orders/${id}`);
    if (['SUCCESS', 'FAILED', 'CLOSED'].includes(body.status)) return body;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`order ${id} not decided in 20 s`);
}

/** One order of each kind through POST /api/orders, each followed until the channel decided it; `log` gets a line per order. */
export async function placeExampleOrders(portal: Portal, log: (line: string) => void = console.log): Promise<Order[]> {
  const call = browser(portal.base);
  const login = await call('POST', '/api/auth/login', { username: portal.user, password: portal.password });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
  const members = (await call<{ items: { id: string; bizUserId: string; status: string }[] }>('GET', '/api/members?pageSize=50')).body.items.filter(
    (m) => m.status === 'NORMAL',
  );
  if (members.length < 2) throw new Error('the platform needs two members in normal status');
  const [a, b] = members;
  const detail = (await call<{ bankCards: { id: string }[] }>('GET', `/api/members/${a!.id}`)).body;
  const run = Date.now().toString(36).toUpperCase();
  const no = (kind: string) => `EX-${run}-${kind}`;
  const orders: [string, Record<string, unknown>][] = [
    ['充值', { kind: 'TOP_UP', bizOrderNo: no('TU'), amount: '200.00', receiver: a!.bizUserId, paymentMethod: 'QUICK_PAY' }],
    ['充值（渠道拒绝）', { kind: 'TOP_UP', bizOrderNo: no('TUF'), amount: '1.44', receiver: a!.bizUserId, paymentMethod: 'GATEWAY' }],
    ['消费', { kind: 'CONSUMPTION', bizOrderNo: no('C'), amount: '88.00', receiver: a!.bizUserId, paymentMethod: 'WECHAT' }],
    ['退款', { kind: 'REFUND', bizOrderNo: no('R'), amount: '8.00', originalBizOrderNo: no('C') }],
    ['担保支付', { kind: 'GUARANTEED_PAYMENT', bizOrderNo: no('G'), amount: '50.00', receiver: b!.bizUserId, paymentMethod: 'ALIPAY' }],
    ['担保确认', { kind: 'GUARANTEE_CONFIRMATION', bizOrderNo: no('GC'), amount: '20.00', originalBizOrderNo: no('G') }],
    ['转账', { kind: 'TRANSFER', bizOrderNo: no('T'), amount: '30.00', receiver: b!.bizUserId, payer: a!.bizUserId }],
    ...(detail.bankCards[0]
      ? ([['提现', { kind: 'WITHDRAWAL', bizOrderNo: no('W'), amount: '10.00', receiver: a!.bizUserId, cardId: detail.bankCards[0].id }]] as [
          string,
          Record<string, unknown>,
        ][])
      : []),
  ];
  const done: Order[] = [];
  for (const [what, body] of orders) {
    const placed = await call<Order & { error?: { id: string; message: string } }>('POST', '/api/orders', body);
    if (placed.status >= 400) {
      log(`${what.padEnd(10, '　')} refused: ${placed.body.error?.id} ${placed.body.error?.message}`);
      continue;
    }
    const o = await decided(call, placed.body.id);
    done.push(o);
    const moves = o.movements.map((m) => `${m.accountKind} ${(m.amountFen / 100).toFixed(2)}`).join(', ');
    log(`${what.padEnd(10, '　')} ${o.orderNo} ${o.typeLabel} ${o.statusLabel}${o.failureReason ? `（${o.failureReason}）` : ''}  ${moves}`);
  }
  const again = await call<Order>('POST', '/api/orders', orders[0]![1]);
  log(`same 商户订单号 again: HTTP ${again.status}, the same order ${again.body.orderNo}`);
  return done;
}

// Run as a script (npm start imports it for the day's demo orders).
if (/orders-client\.ts$/.test(process.argv[1] ?? '')) {
  placeExampleOrders({
    base: process.env.YST_WEB ?? 'http://127.0.0.1:3000',
    user: process.env.YST_USER ?? '1001001',
    password: process.env.YST_PASSWORD ?? 'Demo@2026',
  }).catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
