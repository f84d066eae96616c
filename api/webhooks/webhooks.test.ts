import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTenant, eventually, signIn, fileHarness } from '../../test/support/harness';

/** A real HTTP endpoint on loopback that records what it receives and fails the first `failFirst` requests. */
async function receiver(failFirst = 0) {
  const received: { headers: http.IncomingHttpHeaders; body: string; status: number }[] = [];
  let failures = failFirst;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const status = failures-- > 0 ? 500 : 204;
      received.push({ headers: req.headers, body, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/yst`,
    received,
    ok: () => received.filter((r) => r.status === 204).map((r) => JSON.parse(r.body) as { id: string; type: string; bizUserId: string }),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('member event stream and webhooks', () => {
  const h = fileHarness();

  it('delivers member events in order, signed with the application key, retrying a failing endpoint, logging every attempt; replay sends again', async () => {
    const endpoint = await receiver(2);
    try {
      const t = await createTenant(h.services);
      const agent = await signIn(h.app, t.username, t.password);
      const saved = await agent.put('/api/webhooks').send({ url: endpoint.url }).expect(200);
      expect(saved.body.secret).toMatch(/^whsec_/);
      const secret: string = saved.body.secret;
      expect((await agent.get('/api/webhooks')).body).toMatchObject({ configured: true, enabled: true, url: endpoint.url });
      expect((await agent.get('/api/webhooks')).body.secret).toBeUndefined();

      await agent.post('/api/members').send({ type: 'INDIVIDUAL', bizUserId: 'ev-1', name: '周一' }).expect(201);
      await agent.post('/api/members').send({ type: 'ENTERPRISE', bizUserId: 'ev-2', name: '某某公司' }).expect(201);

      const delivered = await eventually(
        async () => endpoint.ok(),
        (ok) => ok.length === 2,
        'both CREATED events delivered',
        30_000,
      );
      expect(delivered.map((e) => [e.type, e.bizUserId])).toEqual([
        ['CREATED', 'ev-1'],
        ['CREATED', 'ev-2'],
      ]);
      // The first event failed twice (HTTP 500) before it went through; the second waited behind it.
      expect(endpoint.received.map((r) => [JSON.parse(r.body).bizUserId, r.status])).toEqual([
        ['ev-1', 500],
        ['ev-1', 500],
        ['ev-1', 204],
        ['ev-2', 204],
      ]);
      for (const r of endpoint.received) {
        const expected = `sha256=${createHmac('sha256', secret).update(`${r.headers['x-yst-timestamp']}.${r.body}`).digest('hex')}`;
        expect(r.headers['x-yst-signature']).toBe(expected);
        expect(r.headers['x-yst-event-id']).toBe(JSON.parse(r.body).id);
      }

      const log = (await agent.get('/api/webhooks/deliveries').query({ eventId: delivered[0]!.id }).expect(200)).body.items;
      expect(log.map((d: { attempt: number; statusCode: number; ok: boolean }) => [d.attempt, d.statusCode, d.ok]).reverse()).toEqual([
        [1, 500, false],
        [2, 500, false],
        [3, 204, true],
      ]);
      const events = (await agent.get('/api/webhooks/events').expect(200)).body.items;
      expect(events.map((e: { type: string; delivered: boolean; attempts: number }) => [e.type, e.delivered, e.attempts])).toEqual([
        ['CREATED', true, 1],
        ['CREATED', true, 3],
      ]);

      // 重新推送 from the first event: both go out again, in order, with their ids.
      await agent.post('/api/webhooks/replay').send({ fromEventId: delivered[0]!.id }).expect(200);
      const again = await eventually(
        async () => endpoint.ok(),
        (ok) => ok.length === 4,
        'the replayed events',
        30_000,
      );
      expect(again.slice(2).map((e) => e.id)).toEqual(delivered.map((e) => e.id));
      const audit = await h.services.prisma.auditLog.findFirst({ where: { action: 'webhook.replay', target: `application:${t.application.id}` } });
      expect(audit?.detail).toEqual({ fromEventId: delivered[0]!.id });

      // A new key: later deliveries are signed with it.
      const rotated = (await agent.post('/api/webhooks/secret').expect(200)).body.secret;
      expect(rotated).not.toBe(secret);
      await agent.post('/api/members').send({ type: 'INDIVIDUAL', bizUserId: 'ev-3', name: '吴三' }).expect(201);
      await eventually(
        async () => endpoint.ok(),
        (ok) => ok.length === 5,
        'the event after rotation',
        30_000,
      );
      const last = endpoint.received.at(-1)!;
      expect(last.headers['x-yst-signature']).toBe(
        `sha256=${createHmac('sha256', rotated).update(`${last.headers['x-yst-timestamp']}.${last.body}`).digest('hex')}`,
      );

      // The delivery workflow is in the operator console.
      const flow = await h.services.prisma.flowInstance.findFirst({ where: { flow: 'member-event-delivery', applicationId: t.application.id } });
      expect(flow).toMatchObject({ closed: false, waitingFor: 'SYSTEM' });

      // Switched off: the delivery workflow ends.
      await agent.put('/api/webhooks').send({ url: endpoint.url, enabled: false }).expect(200);
      await eventually(
        () => h.services.prisma.flowInstance.findFirstOrThrow({ where: { flow: 'member-event-delivery', applicationId: t.application.id } }),
        (f) => f.closed,
        'the delivery workflow to stop',
        30_000,
      );
    } finally {
      await endpoint.close();
    }
  });

  it('validates input, keeps tenants apart, and needs a configured webhook to replay', async () => {
    const a = await createTenant(h.services);
    const b = await createTenant(h.services);
    const agentA = await signIn(h.app, a.username, a.password);
    const agentB = await signIn(h.app, b.username, b.password);
    for (const [body, message] of [
      [{}, '请填写推送地址'],
      [{ url: 'ftp://example.test/x' }, '推送地址须为 http(s) 地址'],
      [{ url: 'not a url' }, '推送地址须为 http(s) 地址'],
      [{ url: 'http://127.0.0.1:9/x', enabled: 'yes' }, '请选择是否启用'],
    ] as const) {
      const res = await agentA.put('/api/webhooks').send(body);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.error)).toContain(message);
    }
    await agentA.post('/api/members').send({ type: 'INDIVIDUAL', bizUserId: 'iso-1', name: '郑四' }).expect(201);
    const eventsA = (await agentA.get('/api/webhooks/events')).body;
    expect(eventsA.items.map((e: { type: string; delivered: boolean }) => [e.type, e.delivered])).toEqual([['CREATED', false]]);
    expect((await agentB.get('/api/webhooks/events')).body.total).toBe(0);
    const notConfigured = await agentA.post('/api/webhooks/replay').send({ fromEventId: eventsA.items[0].id });
    expect(notConfigured.status).toBe(409);
    expect(notConfigured.body.error.id).toBe('webhook.not_configured');
    await agentB.put('/api/webhooks').send({ url: 'http://127.0.0.1:9/never', enabled: false }).expect(200);
    // B cannot replay A's event.
    expect((await agentB.post('/api/webhooks/replay').send({ fromEventId: eventsA.items[0].id })).status).toBe(404);
    expect((await agentB.post('/api/webhooks/replay').send({ fromEventId: 'x1' })).status).toBe(400);
    const ops = await createTenant(h.services, 'OPERATOR');
    expect((await (await signIn(h.app, ops.username, ops.password)).get('/api/webhooks')).status).toBe(403);
  });
});
