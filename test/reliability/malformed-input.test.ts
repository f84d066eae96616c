/**
 * R3: malformed input. Bodies generated with fast-check from the field names
 * of the API's own zod schemas (every `api/<area>/schemas.ts`), with values of
 * every JSON kind, plus raw broken JSON, sent to every POST/PUT route as a
 * caller the route admits; then a corpus of malformed files to every upload.
 * Nothing may answer 5xx, and every refusal carries a stable error id from
 * the catalogue.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import request from 'supertest';
import type { Role } from '@prisma/client';
import { listApiRoutes } from '../../api/app';
import { sm2 } from 'sm-crypto';
import { signRequest } from '../../scripts/examples/openapi-client';
import { ERRORS } from '../../domain/errors';
import { TEMPLATE_COLUMNS } from '../../domain/member-file';
import { PNG_1X1 } from '../support/fixtures';
import { createTenant, signIn, testNow, fileHarness } from '../support/harness';
import { SCALE, figure } from './scale';

/** Field names of every object schema the API validates with. */
function schemaKeys(): string[] {
  const keys = new Set<string>();
  const apiDir = path.resolve(__dirname, '../../api');
  for (const area of fs.readdirSync(apiDir)) {
    const file = path.join(apiDir, area, 'schemas.ts');
    if (!fs.existsSync(file)) continue;
    const mod = require(file) as Record<string, unknown>;
    for (const value of Object.values(mod)) {
      const shape = (value as { shape?: Record<string, unknown> } | null)?.shape;
      if (shape && typeof shape === 'object') for (const k of Object.keys(shape)) keys.add(k);
    }
  }
  return [...keys];
}

function roleFor(path: string): Role | null {
  if (path.startsWith('/api/onboarding/') || path.startsWith('/api/signing/') || path.startsWith('/api/auth/')) return null;
  if (path.startsWith('/api/operator/') || path.endsWith('/configuration')) return 'OPERATOR';
  if (path.startsWith('/api/provider/')) return 'SERVICE_PROVIDER';
  if (path.startsWith('/api/reviews') || path === '/api/migrations') return 'REVIEWER';
  return 'APPLICATION';
}

describe('R3: malformed input never reaches a 5xx', () => {
  const h = fileHarness();

  async function agents() {
    const map = new Map<Role | null, ReturnType<typeof request.agent>>();
    map.set(null, request.agent(h.app.app));
    const app = await createTenant(h.services);
    for (const role of ['APPLICATION', 'OPERATOR', 'REVIEWER', 'SERVICE_PROVIDER'] as const) {
      const t = role === 'APPLICATION' ? app : await createTenant(h.services, role);
      map.set(role, await signIn(h.app, t.username, t.password));
    }
    return { map, app };
  }

  it('bodies generated from the zod schemas, to every POST and PUT route', async () => {
    const keys = schemaKeys();
    expect(keys.length).toBeGreaterThan(30);
    const { map } = await agents();
    const routes = listApiRoutes(h.deps).filter((r) => r.method === 'POST' || r.method === 'PUT');
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.string({ maxLength: 300 }),
      fc.constantFrom('', ' ', '0', '-1', '1e309', 'null', '<script>', '=1+1', '../../etc/passwd', '2026-02-30', 'x'.repeat(5000)),
      fc.integer(),
      fc.double(),
    );
    const body = fc.oneof(
      fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 6 }),
      fc.jsonValue({ maxDepth: 3 }),
      fc.array(fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 3 }), { maxLength: 3 }),
    );
    const perRoute = Math.ceil(SCALE.malformedBodies / routes.length);
    const bodies = fc.sample(body, { numRuns: perRoute * routes.length, seed: 20261122 });
    const rawBroken = ['{"a":', '{', '[1,2', '"unterminated', '{"reason": "\u0000"}', 'null', 'true'];
    let sent = 0;
    const fiveHundreds: string[] = [];
    const unknownIds = new Set<string>();
    const ids = new Map<string, number>();
    for (const [i, { method, path: p }] of routes.entries()) {
      const agent = map.get(roleFor(p))!;
      const url = p.replace(/:(\w+)/g, (_, n: string) => (n === 'token' ? 'y'.repeat(32) : randomUUID()));
      const payloads: { raw?: string; json?: unknown }[] = [
        ...bodies.slice(i * perRoute, (i + 1) * perRoute).map((json) => ({ json })),
        ...rawBroken.slice(0, 2).map((raw) => ({ raw })),
      ];
      for (const payload of payloads) {
        const req = agent[method.toLowerCase() as 'post'](url).set('content-type', 'application/json');
        const res = await req.send(payload.raw ?? JSON.stringify(payload.json ?? null));
        sent++;
        if (res.status >= 500) fiveHundreds.push(`${method} ${url} ${res.status} ${JSON.stringify(payload).slice(0, 200)}`);
        if (res.status >= 400) {
          const id = res.body?.error?.id as string | undefined;
          if (!id || !(id in ERRORS)) unknownIds.add(`${method} ${p} → ${res.status} ${id}`);
          else ids.set(id, (ids.get(id) ?? 0) + 1);
        }
      }
    }
    expect(fiveHundreds).toEqual([]);
    expect(unknownIds).toEqual(new Set());
    figure('R3 bodies', { routes: routes.length, sent, fiveHundreds: fiveHundreds.length, errorIds: ids.size });
  });

  it('signed bodies of the same kinds to every POST and PUT route of the open API', async () => {
    const t = await createTenant(h.services);
    const portal = await signIn(h.app, t.username, t.password);
    const keys = sm2.generateKeyPairHex();
    await portal.put('/api/application-centre/certificates/public-key').send({ publicKey: keys.publicKey }).expect(200);
    const routes = listApiRoutes(h.deps, { openApi: true }).filter((r) => r.method === 'POST' || r.method === 'PUT');
    expect(routes.length).toBeGreaterThan(0);
    const keysOf = schemaKeys();
    const body = fc.oneof(
      fc.dictionary(fc.constantFrom(...keysOf), fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.string({ maxLength: 100 }), fc.integer()), { maxKeys: 6 }),
      fc.jsonValue({ maxDepth: 3 }),
    );
    const perRoute = Math.max(20, Math.ceil(SCALE.malformedBodies / 10 / routes.length));
    const samples = fc.sample(body, { numRuns: perRoute * routes.length, seed: 20261203 });
    const problems: string[] = [];
    let sent = 0;
    for (const [i, { method, path: p }] of routes.entries()) {
      const url = p.replace(/:(\w+)/g, 'X1');
      const payloads = [...samples.slice(i * perRoute, (i + 1) * perRoute).map((j) => JSON.stringify(j)), '{"a":', '[1,2', ''];
      for (const text of payloads) {
        const signed = signRequest({ appNo: t.application.appNo, privateKey: keys.privateKey, method, path: url, body: text });
        const req = request(h.app.app)[method.toLowerCase() as 'post'](url);
        for (const [k, v] of Object.entries(signed.headers)) req.set(k, v);
        const res = await req.send(text);
        sent++;
        const id = res.body?.error?.id as string | undefined;
        if (res.status >= 500 || (res.status >= 400 && (!id || !(id in ERRORS)))) problems.push(`${method} ${url} → ${res.status} ${id} ${text.slice(0, 120)}`);
        if (id?.startsWith('openapi.')) problems.push(`${method} ${url}: the signature was refused (${id}), the body never checked`);
      }
    }
    expect(problems).toEqual([]);
    figure('R3 open API bodies', { routes: routes.length, sent });
  });

  it('a corpus of malformed files to every upload', async () => {
    const { map, app } = await agents();
    const platform = map.get('APPLICATION')!;
    // An open import window, so uploads get as far as the file checks.
    await h.services.prisma.importWindow.create({
      data: {
        applicationId: app.application.id,
        status: 'OPEN',
        reason: 'R3',
        requestedById: app.user.id,
        workflowId: `r3-${randomUUID()}`,
        openedAt: new Date(),
        closesAt: new Date(testNow().getTime() + 86_400_000),
      },
    });
    const header = TEMPLATE_COLUMNS.INDIVIDUAL.join(',');
    const corpus: [string, Buffer][] = [
      ['empty.csv', Buffer.alloc(0)],
      ['header-only.csv', Buffer.from(header)],
      ['binary.csv', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))],
      ['nul.csv', Buffer.alloc(2048, 0)],
      ['utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${header}\nA1,张三`, 'utf16le')])],
      ['gbk-broken.csv', Buffer.concat([Buffer.from(`${header}\n`), Buffer.from([0x81, 0x20, 0xfe, 0xff, 0x80, 0x0a])])],
      ['wide.csv', Buffer.from(`${header}\n${Array.from({ length: 5000 }, (_, i) => `c${i}`).join(',')}`)],
      ['long-line.csv', Buffer.from(`${header}\n${'x'.repeat(1_000_000)}`)],
      ['open-quote.csv', Buffer.from(`${header}\n"A1,张三,身份证`)],
      ['formula.csv', Buffer.from(`${header}\n=cmd|'/C calc'!A0,@SUM(1),+1,-1,=1`)],
      ['truncated.xlsx', Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(300, 0x41)])],
      ['random.xlsx', Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 104729) % 256))],
      ['text.xlsx', Buffer.from(`${header}\nA1,张三`)],
      ['image.csv', PNG_1X1],
      ['no-extension', Buffer.from(header)],
    ];
    const photos: [string, Buffer][] = [
      ['empty.png', Buffer.alloc(0)],
      ['text.png', Buffer.from('not an image')],
      ['truncated.png', PNG_1X1.subarray(0, 10)],
      ['big.png', Buffer.concat([PNG_1X1, Buffer.alloc(6 * 1024 * 1024)])],
      ['binary.jpg', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 31) % 256))],
    ];
    // An enterprise member's link, for its licence uploads.
    const created = await platform
      .post('/api/members')
      .send({ type: 'ENTERPRISE', bizUserId: `r3-${randomUUID().slice(0, 6)}`, name: '某某公司' })
      .expect(201);
    const token = String(created.body.link.url).split('/onboard/')[1]!;
    const member = request.agent(h.app.app);
    await member.get(`/api/onboarding/${token}`).expect(200);
    const migrationId = randomUUID();

    let sent = 0;
    const fiveHundreds: string[] = [];
    const unknownIds = new Set<string>();
    const check = (what: string, res: request.Response) => {
      sent++;
      if (res.status >= 500) fiveHundreds.push(`${what} → ${res.status}`);
      if (res.status >= 400 && !(res.body?.error?.id in ERRORS)) unknownIds.add(`${what} → ${res.status} ${res.body?.error?.id}`);
    };
    for (const [name, data] of corpus) {
      for (const kind of ['INDIVIDUAL', 'ENTERPRISE', 'BANK_CARD', 'NOPE']) {
        check(`imports ${kind} ${name}`, await platform.post('/api/imports').field('kind', kind).attach('file', data, name));
      }
      check(`migration file ${name}`, await platform.post(`/api/migrations/${migrationId}/files`).field('kind', 'INDIVIDUAL').attach('file', data, name));
    }
    for (const [name, data] of photos) {
      check(`licence ${name}`, await member.post(`/api/onboarding/${token}/uploads`).field('kind', 'BUSINESS_LICENCE').attach('file', data, name));
      check(
        `proxy ${name}`,
        await platform
          .post('/api/members/proxy')
          .field('data', JSON.stringify({ type: 'ENTERPRISE', bizUserId: `r3p-${sent}`, company: {}, legalRepresentative: {} }))
          .attach('BUSINESS_LICENCE', data, name)
          .attach('ID_FRONT', data, name)
          .attach('ID_BACK', data, name),
      );
    }
    // Multipart that is itself broken: a truncated body.
    const broken = await platform
      .post('/api/imports')
      .set('content-type', 'multipart/form-data; boundary=XYZ')
      .send('--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nabc');
    check('truncated multipart', broken);
    expect(fiveHundreds).toEqual([]);
    expect(unknownIds).toEqual(new Set());
    expect(await h.services.prisma.importTask.count({ where: { applicationId: app.application.id, totalRows: { gt: 0 }, invalidRows: 0 } })).toBe(0);
    figure('R3 files', { files: corpus.length + photos.length, sent, fiveHundreds: fiveHundreds.length });
  });
});
