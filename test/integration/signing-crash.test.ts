/**
 * Crash test of the batch send: kill -9 the worker in the middle of a
 * 200-member batch, start a new one, and check that every member got exactly
 * one SMS. This test runs its own worker process (on its own task queue) and
 * its own outbox, so nothing else in the suite sends to them.
 */
import type { ChildProcess } from 'node:child_process';
import { type Outbox, startOutbox } from '../../dev-outbox/outbox';
import { type Harness, createOnboardedMember, createTenant, signIn, startHarness } from '../support/harness';
import { startWorkerProcess as startWorker, workerEnv } from '../support/worker-process';

const MEMBERS = 200;

describe('batch signing survives a worker crash', () => {
  let h: Harness;
  let outbox: Outbox;
  let worker: ChildProcess | undefined;
  const taskQueue = `crash-test-${process.pid}`;

  beforeAll(async () => {
    h = await startHarness({ config: { TEMPORAL_TASK_QUEUE: taskQueue } });
    outbox = await startOutbox({ httpPort: 0, smtpPort: 0, accountSid: h.config.TWILIO_ACCOUNT_SID, authToken: h.config.TWILIO_AUTH_TOKEN });
  });
  afterAll(async () => {
    worker?.kill('SIGKILL');
    await outbox?.stop();
    await h?.stop();
  });

  it('kill -9 mid-batch, restart: all 200 members get exactly one SMS and the batch completes', async () => {
    const env = workerEnv(h.config, { TEMPORAL_TASK_QUEUE: taskQueue, TWILIO_API_BASE: outbox.httpUrl });
    worker = await startWorker(env);
    const tenant = await createTenant(h.services);
    const agent = await signIn(h.app, tenant.username, tenant.password);
    const members = [];
    for (let i = 0; i < MEMBERS; i++) members.push(await createOnboardedMember(h.services, tenant.application.id));

    const started = await agent.post('/api/acquiring/signing-batches').send({ allFiltered: {} });
    expect(started.status).toBe(202);
    // Kill the worker as soon as some, but not all, SMS are out.
    await outbox.waitFor(() => outbox.messages().length >= 20, 60_000);
    worker.kill('SIGKILL');
    const atKill = outbox.messages().length;
    expect(atKill).toBeLessThan(MEMBERS);

    worker = await startWorker(env);
    let batch;
    for (let i = 0; i < 300; i++) {
      batch = (await agent.get(`/api/acquiring/signing-batches/${started.body.id}`)).body;
      if (batch.status === 'COMPLETED') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(batch).toMatchObject({ status: 'COMPLETED', total: MEMBERS, processed: MEMBERS, sent: MEMBERS, skipped: 0 });

    const perPhone = new Map<string, number>();
    for (const m of outbox.messages()) perPhone.set(m.to, (perPhone.get(m.to) ?? 0) + 1);
    const counts = members.map((m) => perPhone.get(`+86${m.phone}`) ?? 0);
    expect(counts.filter((c) => c !== 1)).toEqual([]);
    expect(outbox.messages()).toHaveLength(MEMBERS);
    console.log(`[crash test] killed the worker after ${atKill} of ${MEMBERS} SMS; after restart: ${outbox.messages().length} SMS, 0 duplicates`);
  });
});
