/**
 * Crash test of a batch import: kill -9 the worker while a 20,000-row import
 * executes, start a new one, and check that every row was executed exactly
 * once (no duplicate member, every row with one result). Own worker process on
 * its own task queue.
 */
import type { ChildProcess } from 'node:child_process';
import type request from 'supertest';
import { TEMPLATE_COLUMNS } from '../../domain/member-file';
import { idNumber } from '../support/fixtures';
import { type Harness, createTenant, eventually, signIn, startHarness } from '../support/harness';
import { startWorkerProcess, workerEnv } from '../support/worker-process';

const ROWS = 20_000;

describe('batch import survives a worker crash', () => {
  let h: Harness;
  let worker: ChildProcess | undefined;
  const taskQueue = `import-crash-${process.pid}`;
  beforeAll(async () => {
    h = await startHarness({ config: { TEMPORAL_TASK_QUEUE: taskQueue } });
  });
  afterAll(async () => {
    worker?.kill('SIGKILL');
    await h?.stop();
  });

  it('kill -9 during execution of 20,000 rows, restart: every row once, no duplicate member', async () => {
    const env = workerEnv(h.config, { TEMPORAL_TASK_QUEUE: taskQueue });
    worker = await startWorkerProcess(env);
    const tenant = await createTenant(h.services);
    const app = await signIn(h.app, tenant.username, tenant.password);
    const r = await createTenant(h.services, 'REVIEWER');
    const reviewer: request.Agent = await signIn(h.app, r.username, r.password);

    await app.post('/api/imports/window/requests').send({ reason: '压测导入' });
    const pending = (match: string) =>
      eventually(
        () => reviewer.get('/api/reviews?pageSize=100').then((x) => (x.body.items as { id: string; title: string }[]).find((i) => i.title.includes(match))),
        Boolean,
      ).then((i) => i!);
    const windowReview = await pending(tenant.application.appNo);
    await reviewer.post(`/api/reviews/${windowReview.id}/decision`).send({ approve: true });
    await eventually(() => app.get('/api/imports/window').then((x) => x.body.open), Boolean);

    const id = idNumber();
    const lines = [TEMPLATE_COLUMNS.INDIVIDUAL.join(',')];
    for (let i = 0; i < ROWS; i++) lines.push(`C${i},压测会员,身份证,${id},139${String(i).padStart(8, '0')},`);
    const up = await app
      .post('/api/imports')
      .field('kind', 'INDIVIDUAL')
      .attach('file', Buffer.from(lines.join('\n')), 'crash.csv');
    expect(up.body).toMatchObject({ totalRows: ROWS, invalidRows: 0 });
    await app.post(`/api/imports/${up.body.id}/submission`).send({ consentAttested: true });
    const taskReview = await pending(`${tenant.application.appNo}）会员批导：`);
    await reviewer.post(`/api/reviews/${taskReview.id}/decision`).send({ approve: true });

    // Kill the worker once some, but not all, rows are executed.
    const atKill = await eventually(
      () => h.services.prisma.importTask.findUniqueOrThrow({ where: { id: up.body.id } }),
      (t) => t.processed >= 2000,
      'execution to begin',
      120_000,
    );
    worker.kill('SIGKILL');
    expect(atKill.processed).toBeLessThan(ROWS);
    worker = await startWorkerProcess(env);

    const done = await eventually(
      () => app.get(`/api/imports/${up.body.id}`).then((x) => x.body),
      (t) => t.status === 'COMPLETED',
      'the import to complete',
      300_000,
    );
    expect(done).toMatchObject({ processed: ROWS, succeeded: ROWS, failed: 0 });
    expect(await h.services.prisma.member.count({ where: { applicationId: tenant.application.id } })).toBe(ROWS);
    expect(await h.services.prisma.importRow.count({ where: { taskId: up.body.id, resultCode: 'SUCCESS', memberId: { not: null } } })).toBe(ROWS);
    const result = await app.get(`/api/imports/${up.body.id}/result`);
    expect(result.text.split('\r\n').filter(Boolean)).toHaveLength(ROWS + 1);
    console.log(`[crash test] killed the worker after ${atKill.processed} of ${ROWS} rows; after restart: ${ROWS} members, 0 duplicates`);
  });
});
