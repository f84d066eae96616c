import request from 'supertest';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import type { ChildProcess } from 'node:child_process';
import { signingLinkBatchWorkflow } from '../workflows/signing-batch/messages';
import { fileHarness } from '../test/support/harness';
import { startWorkerProcess, workerEnv } from '../test/support/worker-process';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

describe('health, readiness and metrics', () => {
  const h = fileHarness();

  it('the API answers /healthz, /readyz (Postgres and Temporal) and Prometheus /metrics with request latency', async () => {
    await request(h.app.app).get('/healthz').expect(200, { ok: true });
    const ready = await request(h.app.app).get('/readyz').expect(200);
    expect(ready.body).toEqual({ ready: true, checks: { postgres: { ok: true }, temporal: { ok: true } } });
    await request(h.app.app).get('/api/members').expect(401);
    const metrics = await request(h.app.app).get('/metrics').expect(200);
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.text).toMatch(
      /yst_http_request_duration_seconds_count\{method="GET",route="unmatched",status="4xx"\} \d+|yst_http_request_duration_seconds_count\{[^}]*status="4xx"[^}]*\} \d+/,
    );
    expect(metrics.text).toContain('yst_workflow_starts_total');
  });

  it('the worker answers /healthz, /readyz and /metrics, counting workflow starts and completions per flow', async () => {
    const port = await freePort();
    const taskQueue = `health-${randomUUID()}`;
    let worker: ChildProcess | undefined;
    try {
      worker = await startWorkerProcess(workerEnv(h.config, { TEMPORAL_TASK_QUEUE: taskQueue, WORKER_HTTP_PORT: String(port) }));
      const base = `http://127.0.0.1:${port}`;
      expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ ok: true, state: 'RUNNING' });
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ ready: true });
      const handle = await h.temporal.workflow.start(signingLinkBatchWorkflow, {
        taskQueue,
        workflowId: `health-${randomUUID()}`,
        args: [{ batchId: randomUUID(), total: 0, validityMs: 1 }],
      });
      expect((await handle.result()).stage).toBe('DONE');
      const text = await (await fetch(`${base}/metrics`)).text();
      expect(text).toMatch(/yst_workflow_starts_total\{flow="signingLinkBatch"\} 1/);
      expect(text).toMatch(/yst_workflow_completions_total\{flow="signingLinkBatch",outcome="completed"\} 1/);
    } finally {
      worker?.kill('SIGTERM');
    }
  });
});
