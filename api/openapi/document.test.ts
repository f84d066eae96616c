/**
 * The open API's OpenAPI 3.1 document: every mounted route is described (and nothing else), every
 * example validates against the schema it illustrates, and real answers have the documented shape.
 */
import request from 'supertest';
import { listApiRoutes } from '../app';
import { ERRORS } from '../../domain/errors';
import { SEALED_REQUEST_FIELDS, openSealedFields } from '../../lib/business/sensitive-fields';
import { applicationWithKey, signedRequest } from '../../test/support/open-api';
import { createMemberWithAccounts, fileHarness } from '../../test/support/harness';
import { documentPath } from '../document-parts';
import { EXAMPLE_SENSITIVE_KEY, OPEN_ROUTES } from './document';
import { applicationAnswer, memberAnswer, memberWithLinkAnswer, orderAnswer } from './schemas';

describe('the OpenAPI document of the open API', () => {
  const h = fileHarness();

  it('is served without a signature, describes every mounted route and only those, each error id from the catalogue', async () => {
    const doc = (await request(h.app.app).get('/openapi/v1/openapi.json').expect(200)).body;
    expect(doc.openapi).toBe('3.1.0');
    const mounted = listApiRoutes(h.deps, { openApi: true }).map((r) => `${r.method} ${documentPath(r.path.replace('/openapi/v1', ''))}`);
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(documented.sort()).toEqual([...new Set(mounted)].sort());
    for (const ops of Object.values(
      doc.paths as Record<string, Record<string, { responses: Record<string, { content?: { 'application/json'?: { examples?: Record<string, unknown> } } }> }>>,
    )) {
      for (const op of Object.values(ops)) {
        for (const [status, r] of Object.entries(op.responses)) {
          for (const id of Object.keys(r.content?.['application/json']?.examples ?? {})) {
            expect(id in ERRORS).toBe(true);
            expect(ERRORS[id as keyof typeof ERRORS].status).toBe(Number(status));
          }
        }
      }
    }
    const page = await request(h.app.app).get('/openapi/v1/docs').expect(200);
    expect(page.type).toBe('text/html');
    for (const r of OPEN_ROUTES) expect(page.text).toContain(`${r.method} /openapi/v1${documentPath(r.path)}`);
  });

  it('every example validates against its schema (sealed fields opened with the example key)', () => {
    for (const r of OPEN_ROUTES) {
      if (r.request && r.request.contentType !== 'application/octet-stream') {
        expect([r.operationId, r.request.schema.safeParse(r.request.example).error?.issues ?? null]).toEqual([r.operationId, null]);
        if (r.request.opened) {
          const opened = openSealedFields(r.request.example, SEALED_REQUEST_FIELDS, [{ keyHex: EXAMPLE_SENSITIVE_KEY }]);
          expect([r.operationId, r.request.opened.safeParse(opened).error?.issues ?? null]).toEqual([r.operationId, null]);
        }
      }
      expect([r.operationId, r.answer.schema.safeParse(r.answer.example).error?.issues ?? null]).toEqual([r.operationId, null]);
    }
  });

  it('real answers have the documented shape', async () => {
    const { t, keys } = await applicationWithKey(h);
    const call = (method: 'GET' | 'POST', path: string, body?: unknown) =>
      signedRequest(h, { appNo: t.application.appNo, privateKey: keys.privateKey, method, path, body });
    expect(applicationAnswer.parse((await call('GET', '/openapi/v1/application').expect(200)).body)).toBeTruthy();
    const added = await call('POST', '/openapi/v1/members', {
      requestId: 'req-doc-00001',
      type: 'ENTERPRISE',
      bizUserId: 'DOC-1',
      name: '文档示例有限公司',
    }).expect(201);
    expect(memberWithLinkAnswer.parse(added.body).member.onboarding?.stage).toBe('INFORMATION');
    const m = await createMemberWithAccounts(h.services, t.application.id);
    expect(memberAnswer.parse((await call('GET', `/openapi/v1/members/${m.bizUserId}`).expect(200)).body).accounts).toHaveLength(3);
    const order = await call('POST', '/openapi/v1/orders', {
      kind: 'TOP_UP',
      bizOrderNo: 'DOC-T-1',
      amount: '1.00',
      receiver: m.bizUserId,
      paymentMethod: 'ALIPAY',
    }).expect(201);
    expect(orderAnswer.parse(order.body).bizOrderNo).toBe('DOC-T-1');
  });
});
