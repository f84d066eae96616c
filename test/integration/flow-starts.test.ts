/**
 * Every place the API starts a flow (eight), when the start goes wrong in each way it can:
 * - the start never reached Temporal (no answer, nothing started): the rows stay, a pending start
 *   is recorded, and the reconciler starts the flow;
 * - the start reached Temporal but its answer was lost: the retried start finds the flow running;
 * - Temporal refused it: the rows are undone, the user is told to retry, the audit rows stay.
 * In none of them is a row lost, a flow left without its rows, or an audit row deleted.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type request from 'supertest';
import { createApp } from '../../api/app';
import { reconcilePendingStarts } from '../../lib/adapters/flow-starts';
import { type Harness, createOnboardedMember, createTenant, signIn, startHarness, uniquePhone } from '../support/harness';

type Mode = 'never-reached' | 'answer-lost' | 'refused';

function grpcError(code: number, message: string): Error {
  return Object.assign(new Error(`${code} ${message}`), { code, details: message, metadata: {} });
}

/** The real client, except that its starts fail in the given way; it records which workflow ids it was asked to start. */
function faultyTemporal(real: Client, mode: Mode) {
  const asked: string[] = [];
  const lostOnce = new Set<string>();
  const start = async (type: unknown, options: { workflowId: string }) => {
    asked.push(options.workflowId);
    if (mode === 'never-reached') throw grpcError(14, 'UNAVAILABLE: connect ECONNREFUSED');
    if (mode === 'refused') throw grpcError(8, 'RESOURCE_EXHAUSTED: namespace rate limit exceeded');
    const handle = await real.workflow.start(type as string, options as never);
    if (!lostOnce.has(options.workflowId)) {
      lostOnce.add(options.workflowId);
      throw grpcError(4, 'DEADLINE_EXCEEDED: the answer never came back');
    }
    return handle;
  };
  const workflow = new Proxy(real.workflow, { get: (target, key) => (key === 'start' ? start : Reflect.get(target, key, target)) });
  const client = new Proxy(real, { get: (target, key) => (key === 'workflow' ? workflow : Reflect.get(target, key, target)) });
  return { client, asked };
}

type Agent = ReturnType<typeof request.agent>;

interface StartSite {
  name: string;
  /** Signs in whoever starts the flow and prepares what the start needs. */
  prepare(
    h: Harness,
    signInTo: (username: string, password: string) => Promise<Agent>,
  ): Promise<{ call: () => Promise<request.Response>; rows: () => Promise<number> }>;
}

const sites: StartSite[] = [
  {
    name: '会员开户 (F1)',
    async prepare(h, signInTo) {
      const t = await createTenant(h.services);
      const agent = await signInTo(t.username, t.password);
      return {
        call: () => agent.post('/api/members').send({ type: 'INDIVIDUAL', bizUserId: `fs-${randomUUID().slice(0, 8)}`, name: '启动测试' }),
        rows: () => h.services.prisma.onboardingSession.count({ where: { applicationId: t.application.id } }),
      };
    },
  },
  {
    name: '批导入口申请 (F4)',
    async prepare(h, signInTo) {
      const t = await createTenant(h.services);
      const agent = await signInTo(t.username, t.password);
      return {
        call: () => agent.post('/api/imports/window/requests').send({ reason: '存量会员导入' }),
        rows: () => h.services.prisma.importWindow.count({ where: { applicationId: t.application.id } }),
      };
    },
  },
  {
    name: '会员迁移申请 (F5)',
    async prepare(h, signInTo) {
      const t = await createTenant(h.services);
      const branch = await createTenant(h.services, 'REVIEWER');
      const agent = await signInTo(branch.username, branch.password);
      return {
        call: () => agent.post('/api/migrations').send({ appNo: t.application.appNo, reason: '老系统会员迁入' }),
        rows: () => h.services.prisma.migration.count({ where: { applicationId: t.application.id } }),
      };
    },
  },
  {
    name: '委托结算授权函批量发送',
    async prepare(h, signInTo) {
      const t = await createTenant(h.services);
      const m = await createOnboardedMember(h.services, t.application.id, { phone: uniquePhone() });
      const agent = await signInTo(t.username, t.password);
      return {
        call: () => agent.post('/api/acquiring/signing-batches').send({ memberIds: [m.id] }),
        rows: () => h.services.prisma.signingBatch.count({ where: { applicationId: t.application.id } }),
      };
    },
  },
  {
    name: '月对账单开通 (F6)',
    async prepare(h, signInTo) {
      const t = await createTenant(h.services);
      const agent = await signInTo(t.username, t.password);
      return {
        call: () => agent.post('/api/statements/enablement').send({ reason: '需要月度对账' }),
        rows: () => h.services.prisma.statementEnablement.count({ where: { applicationId: t.application.id } }),
      };
    },
  },
  {
    name: '分账抽佣规则',
    async prepare(h, signInTo) {
      const t = await createTenant(h.services);
      const [r, a] = [
        await createOnboardedMember(h.services, t.application.id, { phone: uniquePhone() }),
        await createOnboardedMember(h.services, t.application.id, { phone: uniquePhone() }),
      ];
      const agent = await signInTo(t.username, t.password);
      return {
        call: () =>
          agent.post('/api/split/rules').send({ name: '门店分账', receiverMemberId: r.id, parties: [{ memberId: a.id, method: 'RATIO', value: 3000 }] }),
        rows: () => h.services.prisma.splitRule.count({ where: { applicationId: t.application.id } }),
      };
    },
  },
  {
    name: '会员批导提交审核 (F4)',
    async prepare(h, signInTo) {
      const t = await createTenant(h.services);
      // An open window and a validated file, as the window flow and the upload leave them.
      await h.services.prisma.importWindow.create({
        data: {
          applicationId: t.application.id,
          status: 'OPEN',
          reason: '存量会员导入',
          requestedById: t.user.id,
          workflowId: `import-window:${randomUUID()}`,
          openedAt: h.services.clock.now(),
          closesAt: new Date(h.services.clock.now().getTime() + 86_400_000),
        },
      });
      const task = await h.services.prisma.importTask.create({
        data: {
          applicationId: t.application.id,
          kind: 'INDIVIDUAL',
          fileName: 'members.csv',
          fileFormat: 'CSV',
          encoding: 'UTF-8',
          fileSize: 100,
          fileSha256: '0'.repeat(64),
          totalRows: 1,
          invalidRows: 0,
          createdById: t.user.id,
        },
      });
      const agent = await signInTo(t.username, t.password);
      return {
        call: () => agent.post(`/api/imports/${task.id}/submission`).send({ consentAttested: true }),
        rows: () => h.services.prisma.importTask.count({ where: { id: task.id, status: 'IN_REVIEW' } }),
      };
    },
  },
  {
    name: '应用开通提交审核 (F7)',
    async prepare(h, signInTo) {
      const branch = await createTenant(h.services, 'REVIEWER');
      const agent = await signInTo(branch.username, branch.password);
      const created = await agent.post('/api/application-onboardings').send({
        customerName: '启动测试客户',
        agreementType: 'LIANSUOTONG',
        fundMode: 'POST_SETTLEMENT',
        serviceProviderId: branch.application.serviceProviderId,
        legalRepName: '李四',
        legalRepPhone: uniquePhone(),
        contactEmail: 'it@start.example',
        scenario: { merchantType: 'ENTERPRISE', online: true },
      });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      // Every required material, as the uploads leave them.
      const required = (created.body.checklist as { code: string; required: boolean; stage: string }[]).filter((m) => m.required && m.stage === 'ONBOARDING');
      await h.services.prisma.applicationMaterialFile.createMany({
        data: required.map((m) => ({
          onboardingId: id,
          code: m.code,
          fileName: `${m.code}.pdf`,
          mimeType: 'application/pdf',
          size: 4,
          sha256: '0'.repeat(64),
          data: Buffer.from('%PDF'),
          uploadedById: branch.user.id,
        })),
      });
      return {
        call: () => agent.post(`/api/application-onboardings/${id}/submission`),
        rows: () => h.services.prisma.applicationOnboarding.count({ where: { id, status: 'IN_REVIEW' } }),
      };
    },
  },
];

describe('starting a flow when the start goes wrong: every start site × every way', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  // What this file started, so it leaves no pending review item in the queue other tests read.
  const startedIds: string[] = [];
  afterAll(async () => {
    if (h) {
      await Promise.all(
        startedIds.map((id) =>
          h.temporal.workflow
            .getHandle(id)
            .terminate('test over')
            .catch(() => undefined),
        ),
      );
      await h.services.prisma.reviewItem.updateMany({
        where: { workflowId: { in: startedIds }, status: 'PENDING' },
        data: { status: 'WITHDRAWN', reason: 'test over' },
      });
    }
    await h?.stop();
  });

  async function attempt(site: StartSite, mode: Mode) {
    const faulty = faultyTemporal(h.temporal, mode);
    const app = createApp({ ...h.deps, temporal: faulty.client, startRetryDelaysMs: [10, 10] }, { log: () => undefined });
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const { call, rows } = await site.prepare(h, (u, p) => signIn(app, u, p));
      const auditsBefore = await h.services.prisma.auditLog.count();
      const res = await call();
      const workflowId = faulty.asked[0]!;
      expect(workflowId).toBeDefined();
      startedIds.push(workflowId);
      return { res, rows, workflowId, auditsBefore, asked: faulty.asked };
    } finally {
      errors.mockRestore();
      await app.close();
    }
  }

  const running = (workflowId: string) =>
    h.temporal.workflow
      .getHandle(workflowId)
      .describe()
      .then(
        (d) => d.status.name,
        () => 'NOT_FOUND',
      );

  describe.each(sites.map((s) => [s.name, s] as const))('%s', (_name, site) => {
    it('never reached Temporal: the rows stay, and the reconciler starts the flow', async () => {
      const { res, rows, workflowId, auditsBefore, asked } = await attempt(site, 'never-reached');
      expect(res.status).toBeLessThan(300);
      expect(await rows()).toBe(1);
      expect(asked).toHaveLength(3); // the first start and its two retries
      expect(await running(workflowId)).toBe('NOT_FOUND');
      expect(await h.services.prisma.pendingFlowStart.findUnique({ where: { workflowId } })).toMatchObject({ workflowId });
      expect(await h.services.prisma.auditLog.count()).toBeGreaterThanOrEqual(auditsBefore);

      const { prisma, crypto } = h.services;
      expect(await reconcilePendingStarts({ prisma, crypto, temporal: h.temporal }, { minAgeMs: 0 })).toBeGreaterThanOrEqual(1);
      expect(await running(workflowId)).toBe('RUNNING');
      expect(await h.services.prisma.pendingFlowStart.findUnique({ where: { workflowId } })).toBeNull();
      expect(await rows()).toBe(1);
    });

    it('reached Temporal but the answer was lost: the retried start finds the flow running, nothing is pending', async () => {
      const { res, rows, workflowId } = await attempt(site, 'answer-lost');
      expect(res.status).toBeLessThan(300);
      expect(await rows()).toBe(1);
      expect(await running(workflowId)).toBe('RUNNING');
      expect(await h.services.prisma.pendingFlowStart.findUnique({ where: { workflowId } })).toBeNull();
    });

    it('refused by Temporal: the rows are undone, the user is asked to retry, the audit rows stay with the refusal', async () => {
      const { res, rows, workflowId, auditsBefore } = await attempt(site, 'refused');
      expect(res.status).toBe(503);
      expect(res.body.error.id).toBe('service.unavailable');
      expect(res.body.error.message).toMatch(/启动失败，请稍后重试$/);
      expect(await rows()).toBe(0);
      expect(await running(workflowId)).toBe('NOT_FOUND');
      expect(await h.services.prisma.auditLog.count({ where: { action: 'flow.start_refused', target: `workflow:${workflowId}` } })).toBe(1);
      expect(await h.services.prisma.auditLog.count()).toBeGreaterThanOrEqual(auditsBefore + 1);
      expect(await h.services.prisma.pendingFlowStart.findUnique({ where: { workflowId } })).toBeNull();
    });
  });
});
