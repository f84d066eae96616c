/**
 * The portal API's OpenAPI document: every mounted route is described (and nothing else), every
 * body route has an example its schema accepts, the path schemas name the path's parameters, and
 * the live route does not refuse the documented example as malformed (so the documented schema is
 * the one the route validates with, at least as far as the example goes).
 */
import type { Role } from '@prisma/client';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { z } from 'zod';
import { ERRORS } from '../domain/errors';
import { createTenant, fileHarness, signIn } from '../test/support/harness';
import { API_ROUTERS, listApiRoutes } from './app';
import { documentPath } from './document-parts';
import { documentedRoutes } from './portal-document';

const routers = API_ROUTERS.map(([prefix, , doc]) => [prefix, doc] as const);

describe('the OpenAPI document of the portal API', () => {
  const h = fileHarness();

  it('is served without a login, describes every mounted route and only those, each error id from the catalogue', async () => {
    const doc = (await request(h.app.app).get('/api/openapi.json').expect(200)).body;
    expect(doc.openapi).toBe('3.1.0');
    const mounted = listApiRoutes(h.deps).map((r) => `${r.method} ${documentPath(r.path)}`);
    expect(mounted.length).toBeGreaterThan(120);
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(documented.sort()).toEqual([...new Set(mounted)].sort());
    type Op = { 'x-admits': string; responses: Record<string, { content?: { 'application/json'?: { examples?: Record<string, unknown> } } }> };
    for (const ops of Object.values(doc.paths as Record<string, Record<string, Op>>)) {
      for (const op of Object.values(ops)) {
        expect(op['x-admits']).toBeTruthy();
        for (const [status, r] of Object.entries(op.responses)) {
          for (const id of Object.keys(r.content?.['application/json']?.examples ?? {})) {
            expect(id in ERRORS).toBe(true);
            expect(ERRORS[id as keyof typeof ERRORS].status).toBe(Number(status));
          }
        }
      }
    }
    expect(Object.keys(doc.components['x-errors'])).toEqual(Object.keys(ERRORS));
    const page = await request(h.app.app).get('/api/docs').expect(200);
    expect(page.type).toBe('text/html');
    for (const r of documentedRoutes(routers)) expect(page.text).toContain(`${r.method} ${documentPath(r.path)}`);
  });

  it('every body route has an example its schema accepts; path schemas name exactly the path parameters', () => {
    const problems: string[] = [];
    for (const r of documentedRoutes(routers)) {
      const name = `${r.method} ${r.path}`;
      if (r.doc.body) {
        if (r.doc.example === undefined) problems.push(`${name}: no example`);
        else {
          const issues = r.doc.body.safeParse(r.doc.example).error?.issues;
          if (issues) problems.push(`${name}: example refused: ${JSON.stringify(issues)}`);
        }
      } else if (r.doc.example !== undefined) problems.push(`${name}: an example but no body schema`);
      const names = [...r.path.matchAll(/:(\w+)/g)].map((m) => m[1]).sort();
      if (r.doc.params) {
        const shape = Object.keys((z.toJSONSchema(r.doc.params, { io: 'input', unrepresentable: 'any' }).properties as object) ?? {}).sort();
        if (JSON.stringify(shape) !== JSON.stringify(names)) problems.push(`${name}: params schema names ${shape} for path parameters ${names}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('no live route refuses its documented example as malformed', async () => {
    const agents = new Map<Role | 'ANONYMOUS', ReturnType<typeof request.agent>>([['ANONYMOUS', request.agent(h.app.app)]]);
    const agentFor = async (role: Role | 'ANONYMOUS') => {
      if (!agents.has(role)) {
        const t = await createTenant(h.services, role as Role);
        agents.set(role, await signIn(h.app, t.username, t.password));
      }
      return agents.get(role)!;
    };
    let sent = 0;
    const refused: string[] = [];
    for (const r of documentedRoutes(routers)) {
      // Multipart bodies need their files; the schema side of those is covered above.
      if (!r.doc.body || r.doc.files) continue;
      const caller = r.admits === 'PUBLIC' ? 'ANONYMOUS' : r.admits === 'SIGNED_IN' ? 'APPLICATION' : r.admits[0]!;
      const url = r.path.replace(/:(\w+)/g, (_, p: string) => (p === 'token' ? 'x'.repeat(32) : p === 'appNo' ? '1001001' : randomUUID()));
      const res = await (await agentFor(caller))[r.method.toLowerCase() as 'post'](url).send(r.doc.example as object);
      sent++;
      if (res.body?.error?.id === 'request.invalid') refused.push(`${r.method} ${url} → ${JSON.stringify(res.body.error)}`);
    }
    expect(refused).toEqual([]);
    expect(sent).toBeGreaterThan(30);
  });
});
