/**
 * R4: the authorisation matrix. Every route of the API (read from the routers
 * themselves, so a new route cannot be left out) × every role: each role the
 * route does not admit (as the portal's API document says) is refused (401 anonymous, 403 signed in). Then own vs
 * other tenant: another application never sees or touches a resource of this one.
 */
import type { Role } from '@prisma/client';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { API_ROUTERS, listApiRoutes } from '../../api/app';
import { documentedRoutes } from '../../api/portal-document';
import { scenarioSchema } from '../../api/application-onboarding/schemas';
import type { Admits } from '../../api/route-docs';
import { seedLedger } from '../../lib/dev-stack/ledger-seed';
import { createOnboardedMember, createTenant, signIn, fileHarness, testNow } from '../support/harness';
import { figure } from './scale';

type Caller = 'ANONYMOUS' | Role;
const CALLERS: Caller[] = ['ANONYMOUS', 'SERVICE_PROVIDER', 'APPLICATION', 'MEMBER', 'REVIEWER', 'BRANCH_USER', 'OPERATOR'];
/** Who each route admits, as the portal's API document says (each router's RouterDoc): this test holds the routes to it. */
const ADMITS = new Map(documentedRoutes(API_ROUTERS.map(([prefix, , doc]) => [prefix, doc] as const)).map((r) => [`${r.method} ${r.path}`, r.admits]));

function policyOf(method: string, path: string): Admits {
  const admits = ADMITS.get(`${method} ${path}`);
  if (!admits) throw new Error(`${method} ${path} is not in the API document: describe it in its router's RouterDoc`);
  return admits;
}

/** A concrete path: ids become fresh UUIDs (authorisation is checked before anything is looked up). */
function concrete(path: string, ids: Record<string, string> = {}): string {
  return path.replace(
    /:(\w+)/g,
    (_, name: string) =>
      ids[name] ??
      (name === 'token' ? 'x'.repeat(32) : name === 'day' ? '2026-11-01' : name === 'month' ? '2026-10' : name === 'kind' ? 'INDIVIDUAL' : randomUUID()),
  );
}

describe('R4: authorisation matrix', () => {
  const h = fileHarness();

  it('refuses every role a route does not admit, on every route', async () => {
    const routes = listApiRoutes(h.deps);
    expect(routes.length).toBeGreaterThan(80);
    const agents = new Map<Caller, request.Agent | ReturnType<typeof request.agent>>();
    agents.set('ANONYMOUS', request.agent(h.app.app));
    for (const role of CALLERS.filter((c): c is Role => c !== 'ANONYMOUS')) {
      const t = await createTenant(h.services, role);
      agents.set(role, await signIn(h.app, t.username, t.password));
    }
    let cells = 0;
    let denials = 0;
    const wrong: string[] = [];
    for (const { method, path } of routes) {
      const policy = policyOf(method, path);
      for (const caller of CALLERS) {
        cells++;
        const admitted = policy === 'PUBLIC' || (policy === 'SIGNED_IN' ? caller !== 'ANONYMOUS' : (policy as readonly Caller[]).includes(caller));
        if (admitted) continue;
        const agent = agents.get(caller)!;
        const url = concrete(path);
        const res = await (agent as request.Agent)[method.toLowerCase() as 'get'](url).send(method === 'GET' ? undefined : {});
        const expected = caller === 'ANONYMOUS' ? [401, 'auth.required'] : [403, 'auth.forbidden'];
        if (res.status !== expected[0] || res.body?.error?.id !== expected[1]) wrong.push(`${caller} ${method} ${url} → ${res.status} ${res.body?.error?.id}`);
        else denials++;
      }
    }
    // The open API admits no session at all: every route × every caller, unsigned, is refused.
    const openRoutes = listApiRoutes(h.deps, { openApi: true });
    expect(openRoutes.length).toBeGreaterThan(0);
    for (const { method, path } of openRoutes) {
      for (const caller of CALLERS) {
        cells++;
        const res = await (agents.get(caller)! as request.Agent)[method.toLowerCase() as 'get'](concrete(path));
        if (res.status !== 401 || res.body?.error?.id !== 'openapi.unsigned') wrong.push(`${caller} ${method} ${path} → ${res.status} ${res.body?.error?.id}`);
        else denials++;
      }
    }
    expect(wrong).toEqual([]);
    figure('R4 role matrix', { routes: routes.length + openRoutes.length, cells, denials });
  });

  it('another application never reads or changes a resource of this one', async () => {
    const a = await createTenant(h.services);
    const b = await createTenant(h.services);
    const agentA = await signIn(h.app, a.username, a.password);
    const agentB = await signIn(h.app, b.username, b.password);
    const { prisma } = h.services;
    const m1 = await createOnboardedMember(h.services, a.application.id);
    const m2 = await createOnboardedMember(h.services, a.application.id);
    await seedLedger(h.services, { appNo: a.application.appNo, days: 2, ordersPerDay: 4 });
    const order = await prisma.order.findFirstOrThrow({ where: { applicationId: a.application.id } });
    // A member account of A with a movement (the demo ledger booked some), for 账户明细 and its 查看详情.
    const moved = await prisma.movement.findFirstOrThrow({ where: { account: { applicationId: a.application.id, memberId: { not: null } } } });
    const account = await prisma.account.findUniqueOrThrow({ where: { id: moved.accountId } });
    const batch = (
      await agentA
        .post('/api/acquiring/signing-batches')
        .send({ memberIds: [m1.id] })
        .expect(202)
    ).body;
    const rule = await prisma.splitRule.create({
      data: { applicationId: a.application.id, ruleNo: `FZ${randomUUID().slice(0, 8)}`, name: '隔离测试', receiverMemberId: m2.id },
    });
    const task = await prisma.importTask.create({
      data: {
        applicationId: a.application.id,
        kind: 'INDIVIDUAL',
        fileName: 'a.csv',
        fileFormat: 'CSV',
        encoding: 'UTF-8',
        fileSize: 1,
        fileSha256: '0',
        totalRows: 0,
        invalidRows: 0,
        createdById: a.user.id,
      },
    });
    const migration = await prisma.migration.create({
      data: { applicationId: a.application.id, reason: '隔离测试', requestedById: a.user.id, workflowId: `iso-${randomUUID()}` },
    });
    const agreement = await prisma.agreement.create({
      data: {
        memberId: m1.id,
        applicationId: a.application.id,
        kind: 'MEMBER_SERVICE',
        title: '会员服务协议',
        version: '1',
        documentHash: '0',
        signMethod: 'PAPER',
        online: false,
        signedPhoneMasked: '-',
        signedAt: new Date(),
      },
    });
    const split = await prisma.splitDetail.create({
      data: { orderId: order.id, applicationId: a.application.id, fromMemberId: m1.id, toMemberId: m2.id, kind: 'SPLIT', amountFen: 1, status: 'SUCCESS' },
    });

    // A licence photo of A's member (会员详情 → 证照).
    const session = await prisma.onboardingSession.create({
      data: {
        memberId: m1.id,
        applicationId: a.application.id,
        attempt: 1,
        mode: 'SELF_SERVICE',
        workflowId: `iso-photo-${randomUUID()}`,
        tokenHash: randomUUID(),
        stage: 'COMPLETED',
        expiresAt: testNow(),
      },
    });
    const photo = await prisma.upload.create({
      data: { memberId: m1.id, sessionId: session.id, kind: 'BUSINESS_LICENCE', mimeType: 'image/png', size: 1, sha256: '0', data: new Uint8Array([0]) },
    });

    // Resources of A by route: A reads them; B gets 403/404 on every route that names one, reads or writes.
    const idsFor = (path: string): Record<string, string> | null => {
      const table: [RegExp, string][] = [
        [/^\/api\/members\/:id/, m1.id],
        [/^\/api\/acquiring\/signing-batches\/:id/, batch.id],
        [/^\/api\/agreements\/:id/, agreement.id],
        [/^\/api\/split\/rules\/:id/, rule.id],
        [/^\/api\/split\/orders\/:id/, split.id],
        [/^\/api\/imports\/:id/, task.id],
        [/^\/api\/migrations\/:id/, migration.id],
        [/^\/api\/orders\/:id/, order.id],
        [/^\/api\/accounts\/:id/, account.id],
      ];
      const hit = table.find(([re]) => re.test(path));
      return hit ? { id: hit[1], movementId: moved.id, photoId: photo.id } : null;
    };
    const routes = listApiRoutes(h.deps).filter((r) => idsFor(r.path) && policyOf(r.method, r.path) !== 'PUBLIC');
    let checked = 0;
    const leaks: string[] = [];
    for (const { method, path } of routes) {
      const url = concrete(path, idsFor(path)!);
      const other = await agentB[method.toLowerCase() as 'get'](url).send(method === 'GET' ? undefined : {});
      if (!(other.status === 403 || other.status === 404 || (other.status === 400 && method !== 'GET'))) leaks.push(`B ${method} ${url} → ${other.status}`);
      if (method === 'GET') {
        // Its own application is let in (a 409 like "no PDF for a paper agreement" is a business answer, not a refusal).
        const own = await agentA.get(url);
        if ([401, 403, 404].includes(own.status) || own.status >= 500) leaks.push(`A ${method} ${url} → ${own.status} (own resource refused)`);
      }
      checked++;
    }
    expect(leaks).toEqual([]);
    figure('R4 tenant isolation', { routes: checked });
  });

  it('a branch’s reviewer and branch user never read or decide what belongs to another branch; headquarters sees both', async () => {
    const { prisma } = h.services;
    const suffix = randomUUID().slice(0, 6).toUpperCase();
    const branchA = await prisma.branch.create({ data: { code: `R4A${suffix}`, name: `R4分公司A-${suffix}` } });
    const branchB = await prisma.branch.create({ data: { code: `R4B${suffix}`, name: `R4分公司B-${suffix}` } });
    const tenant = await createTenant(h.services);
    await prisma.application.update({ where: { id: tenant.application.id }, data: { branchId: branchA.id } });
    const staff = async (role: 'REVIEWER' | 'BRANCH_USER', branchId: string | null) => {
      const r = await createTenant(h.services, role);
      await prisma.user.update({ where: { id: r.user.id }, data: { branchId } });
      return { ...r, agent: await signIn(h.app, r.username, r.password) };
    };
    const [ownBranch, otherBranch, headquarters, ownBranchUser, otherBranchUser] = await Promise.all([
      staff('REVIEWER', branchA.id),
      staff('REVIEWER', branchB.id),
      staff('REVIEWER', null),
      staff('BRANCH_USER', branchA.id),
      staff('BRANCH_USER', branchB.id),
    ]);

    // Branch A's resources: a review item of its application, a migration, a customer its reviewer recorded.
    const migration = await prisma.migration.create({
      data: { applicationId: tenant.application.id, reason: '分公司隔离', requestedById: tenant.user.id, workflowId: `iso-${randomUUID()}` },
    });
    const item = await prisma.reviewItem.create({
      data: {
        kind: 'MIGRATION_REQUEST',
        subjectId: migration.id,
        applicationId: tenant.application.id,
        title: 'R4 分公司隔离',
        applicantId: tenant.user.id,
        applicantName: tenant.user.displayName,
        workflowId: migration.workflowId,
      },
    });
    const customer = await prisma.applicationOnboarding.create({
      data: {
        customerName: `R4客户-${suffix}`,
        agreementType: 'STANDARD',
        // The offline enterprise scenario, as the schema completes it.
        scenario: scenarioSchema.parse({ merchantType: 'ENTERPRISE' }),
        fundMode: 'POST_SETTLEMENT',
        serviceProviderId: tenant.application.serviceProviderId!,
        legalRepName: '张三',
        legalRepPhoneEnc: h.services.crypto.encrypt('13800138000'),
        legalRepPhoneMasked: '138****8000',
        contactEmail: 'r4@branch.test',
        createdById: ownBranch.user.id,
        createdByName: ownBranch.user.displayName,
      },
    });
    const file = await prisma.applicationMaterialFile.create({
      data: {
        onboardingId: customer.id,
        code: 'LICENCE',
        fileName: 'licence.png',
        mimeType: 'image/png',
        size: 1,
        sha256: '0',
        data: new Uint8Array([0]),
        uploadedById: ownBranch.user.id,
      },
    });
    const idsFor = (path: string): Record<string, string> | null => {
      const table: [RegExp, string][] = [
        [/^\/api\/reviews\/:id/, item.id],
        [/^\/api\/migrations\/:id/, migration.id],
        [/^\/api\/application-onboardings\/:id/, customer.id],
      ];
      const hit = table.find(([re]) => re.test(path));
      return hit ? { id: hit[1], fileId: file.id } : null;
    };
    const admitted = (method: string, path: string, role: string) => (policyOf(method, path) as readonly string[]).includes?.(role);
    const routes = listApiRoutes(h.deps).filter((r) => idsFor(r.path) && (admitted(r.method, r.path, 'REVIEWER') || admitted(r.method, r.path, 'BRANCH_USER')));
    const leaks: string[] = [];
    for (const { method, path } of routes) {
      const url = concrete(path, idsFor(path)!);
      const [outsider, insider] = admitted(method, path, 'REVIEWER') ? [otherBranch, ownBranch] : [otherBranchUser, ownBranchUser];
      const other = await outsider.agent[method.toLowerCase() as 'get'](url).send(method === 'GET' ? undefined : {});
      if (!(other.status === 403 || other.status === 404 || (other.status === 400 && method !== 'GET')))
        leaks.push(`branch B ${method} ${url} → ${other.status}`);
      // Branch B's other role is refused as well (or does not reach the resource).
      const otherRole = outsider === otherBranch ? otherBranchUser : otherBranch;
      const crossed = await otherRole.agent[method.toLowerCase() as 'get'](url).send(method === 'GET' ? undefined : {});
      if (!(crossed.status === 403 || crossed.status === 404 || (crossed.status === 400 && method !== 'GET')))
        leaks.push(`branch B (other role) ${method} ${url} → ${crossed.status}`);
      if (method === 'GET')
        for (const [who, caller] of [
          ['branch A', insider],
          ['headquarters', headquarters],
        ] as const) {
          const seen = await caller.agent.get(url);
          if ([401, 403, 404].includes(seen.status) || seen.status >= 500) leaks.push(`${who} ${method} ${url} → ${seen.status} (refused)`);
        }
    }
    // The lists: branch B sees none of it.
    const listed = async (agent: typeof ownBranch.agent) => ({
      reviews: ((await agent.get('/api/reviews').query({ state: 'PENDING' })).body.items as { id: string }[]).some((r) => r.id === item.id),
      migrations: ((await agent.get('/api/migrations')).body.items as { id: string }[]).some((m) => m.id === migration.id),
      customers: ((await agent.get('/api/application-onboardings')).body.items as { id: string }[]).some((c) => c.id === customer.id),
    });
    expect(await listed(otherBranch.agent)).toEqual({ reviews: false, migrations: false, customers: false });
    expect(await listed(ownBranch.agent)).toEqual({ reviews: true, migrations: true, customers: true });
    // A branch user has no review queue (it decides nothing) and sees its branch's migrations and customers.
    expect((await ownBranchUser.agent.get('/api/reviews')).status).toBe(403);
    const branchUserSees = async (agent: typeof ownBranch.agent) => ({
      migrations: ((await agent.get('/api/migrations')).body.items as { id: string }[]).some((m) => m.id === migration.id),
      customers: ((await agent.get('/api/application-onboardings')).body.items as { id: string }[]).some((c) => c.id === customer.id),
    });
    expect(await branchUserSees(otherBranchUser.agent)).toEqual({ migrations: false, customers: false });
    expect(await branchUserSees(ownBranchUser.agent)).toEqual({ migrations: true, customers: true });
    expect(await listed(headquarters.agent)).toEqual({ reviews: true, migrations: true, customers: true });
    expect(leaks).toEqual([]);

    // The application moves to branch B: its open item goes with it.
    const op = await createTenant(h.services, 'OPERATOR');
    const ops = await signIn(h.app, op.username, op.password);
    const moved = await ops.put(`/api/staff/applications/${tenant.application.appNo}/branch`).send({ branchId: branchB.id, reason: '客户划转' });
    expect(moved.body).toMatchObject({ branch: { id: branchB.id }, openReviewItems: 1 });
    expect((await otherBranch.agent.get(`/api/reviews/${item.id}`)).status).toBe(200);
    expect((await ownBranch.agent.get(`/api/reviews/${item.id}`)).status).toBe(404);
    figure('R4 branch isolation', { routes: routes.length });
  });
});
