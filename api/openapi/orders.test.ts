/**
 * Orders by signed request (/openapi/v1/orders): the portal's rules through the open API, the
 * result callback to the platform's notify URL (signed by the platform key, retried while the
 * platform fails), and the order query — with the real worker, Temporal and the sandbox channel.
 */
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyResponse } from '../../scripts/examples/openapi-client';
import { applicationWithKey, signedRequest } from '../../test/support/open-api';
import { createMemberWithAccounts, eventually, fileHarness } from '../../test/support/harness';

interface Callback {
  headers: IncomingHttpHeaders;
  body: Buffer;
  answered: number;
}

describe('orders through the signed open API, with result callbacks', () => {
  const h = fileHarness();
  let platform: Server;
  let notifyBase: string;
  const callbacks: Callback[] = [];
  /** How the platform's endpoint answers its next callbacks (then 200). */
  const answers: number[] = [];

  beforeAll(async () => {
    platform = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const answered = answers.shift() ?? 200;
        callbacks.push({ headers: req.headers, body: Buffer.concat(chunks), answered });
        res.writeHead(answered).end(answered === 200 ? 'success' : 'busy');
      });
    });
    await new Promise<void>((resolve) => platform.listen(0, '127.0.0.1', resolve));
    notifyBase = `http://127.0.0.1:${(platform.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => platform.close(resolve));
  });

  async function applicationWithMembers() {
    const a = await applicationWithKey(h);
    const members = [await createMemberWithAccounts(h.services, a.t.application.id), await createMemberWithAccounts(h.services, a.t.application.id)];
    return { ...a, members };
  }

  const signed = (appNo: string, privateKey: string, method: 'GET' | 'POST', path: string, body?: unknown) =>
    signedRequest(h, { appNo, privateKey, method, path, body });

  const callbacksOf = (bizOrderNo: string) =>
    callbacks.filter((c) => (JSON.parse(c.body.toString('utf8')) as { order: { bizOrderNo: string } }).order.bizOrderNo === bizOrderNo);

  it('places an order once per 商户订单号, sends its result to the notify URL until the platform takes it, and answers its query', async () => {
    const { t, keys, members, platformPublicKey } = await applicationWithMembers();
    const appNo = t.application.appNo;
    const order = { kind: 'TOP_UP', bizOrderNo: 'OPEN-TU-1', amount: '12.00', receiver: members[0]!.bizUserId, paymentMethod: 'QUICK_PAY' };
    // The platform is busy for the first callback; the flow tries again.
    answers.push(503);
    const placed = await signed(appNo, keys.privateKey, 'POST', '/openapi/v1/orders', { ...order, notifyUrl: `${notifyBase}/notify` }).expect(201);
    expect(verifyResponse(platformPublicKey, placed.headers, Buffer.from(placed.text))).toBe(true);
    expect(placed.body).toMatchObject({ bizOrderNo: 'OPEN-TU-1', kind: 'TOP_UP', amount: '12.00', receiver: members[0]!.bizUserId });
    expect(['CREATED', 'PROCESSING', 'SUCCESS']).toContain(placed.body.status);
    // The same request again (a new nonce): the first order, 200; another body with that number: 409, nothing placed.
    const again = await signed(appNo, keys.privateKey, 'POST', '/openapi/v1/orders', { ...order, notifyUrl: `${notifyBase}/notify` }).expect(200);
    expect(again.body.orderNo).toBe(placed.body.orderNo);
    const conflict = await signed(appNo, keys.privateKey, 'POST', '/openapi/v1/orders', { ...order, amount: '13.00', notifyUrl: `${notifyBase}/notify` });
    expect([conflict.status, conflict.body.error.id]).toEqual([409, 'order.duplicate_conflict']);

    const delivered = await eventually(
      async () => callbacksOf('OPEN-TU-1'),
      (cs) => cs.some((c) => c.answered === 200),
      'the result callback taken by the platform',
      40_000,
    );
    expect(delivered.map((c) => c.answered)).toEqual([503, 200]);
    for (const c of delivered) {
      // Signed by the platform key like every answer of the open API; the platform checks it with the 通联公钥.
      expect(verifyResponse(platformPublicKey, c.headers as Record<string, string>, c.body)).toBe(true);
      expect(c.headers['x-yst-appno']).toBe(appNo);
      expect(JSON.parse(c.body.toString('utf8'))).toMatchObject({
        type: 'order.result',
        appNo,
        order: { orderNo: placed.body.orderNo, status: 'SUCCESS', amount: '12.00', fee: '0.00', channelSerial: expect.any(String) },
      });
    }
    const row = await h.services.prisma.order.findFirstOrThrow({ where: { applicationId: t.application.id, bizOrderNo: 'OPEN-TU-1' } });
    expect(row).toMatchObject({ notifyAttempts: 2, notifyError: null, notifiedAt: expect.any(Date) });

    const queried = await signed(appNo, keys.privateKey, 'GET', '/openapi/v1/orders/OPEN-TU-1').expect(200);
    expect(queried.body).toEqual(JSON.parse(delivered[1]!.body.toString('utf8')).order);
  });

  it('reports a declined order as FAILED with its reason, and refuses what the portal refuses, with the same ids', async () => {
    const { t, keys, members } = await applicationWithMembers();
    const other = await applicationWithMembers();
    const appNo = t.application.appNo;
    // …44: the sandbox channel declines.
    await signed(appNo, keys.privateKey, 'POST', '/openapi/v1/orders', {
      kind: 'CONSUMPTION',
      bizOrderNo: 'OPEN-C-44',
      amount: '1.44',
      receiver: members[0]!.bizUserId,
      paymentMethod: 'WECHAT',
      notifyUrl: `${notifyBase}/notify`,
    }).expect(201);
    const [callback] = await eventually(
      async () => callbacksOf('OPEN-C-44'),
      (cs) => cs.length > 0,
      'the declined order reported',
    );
    expect(JSON.parse(callback!.body.toString('utf8')).order).toMatchObject({ status: 'FAILED', failureReason: expect.any(String), amount: '1.44' });

    const refused = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
      const res = await signed(appNo, keys.privateKey, method, path, body);
      return [res.status, res.body.error?.id];
    };
    // A 转账 from an empty 支付账户, an unknown member, a bad notify URL, a body that is not JSON.
    expect(
      await refused('POST', '/openapi/v1/orders', {
        kind: 'TRANSFER',
        bizOrderNo: 'OPEN-T-1',
        amount: '5.00',
        receiver: members[0]!.bizUserId,
        payer: members[1]!.bizUserId,
      }),
    ).toEqual([422, 'order.insufficient_balance']);
    expect(
      await refused('POST', '/openapi/v1/orders', { kind: 'TOP_UP', bizOrderNo: 'OPEN-X', amount: '5.00', receiver: 'nobody', paymentMethod: 'ALIPAY' }),
    ).toEqual([404, 'member.not_found']);
    expect(
      await refused('POST', '/openapi/v1/orders', {
        kind: 'TOP_UP',
        bizOrderNo: 'OPEN-U',
        amount: '5.00',
        receiver: members[0]!.bizUserId,
        paymentMethod: 'ALIPAY',
        notifyUrl: 'ftp://example.com/x',
      }),
    ).toEqual([400, 'request.invalid']);
    expect(await refused('POST', '/openapi/v1/orders', '{"kind":')).toEqual([400, 'request.invalid']);
    expect(await signed(appNo, keys.privateKey, 'GET', '/openapi/v1/orders/OPEN-T-1').then((r) => [r.status, r.body.error.id])).toEqual([
      404,
      'order.not_found',
    ]);
    // Another application's order is not found, its member not known.
    expect(await signed(other.t.application.appNo, other.keys.privateKey, 'GET', '/openapi/v1/orders/OPEN-C-44').then((r) => r.body.error.id)).toBe(
      'order.not_found',
    );
    // Nothing of the refused orders was recorded.
    expect(await h.services.prisma.order.count({ where: { applicationId: t.application.id } })).toBe(1);
  });
});
