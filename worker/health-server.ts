/**
 * The worker's own HTTP endpoints: /healthz (the worker is polling), /readyz
 * (it reaches Postgres and Temporal) and /metrics (Prometheus).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PrismaClient } from '@prisma/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { postgresCheck, readiness } from '../lib/adapters/health';
import { registry } from '../lib/adapters/metrics';

export async function startWorkerHealthServer(opts: {
  worker: Worker;
  connection: NativeConnection;
  prisma: PrismaClient;
  host: string;
  port: number;
}): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    const handle = async () => {
      if (req.url === '/healthz') {
        const state = opts.worker.getState();
        return send(state === 'RUNNING' ? 200 : 503, { ok: state === 'RUNNING', state });
      }
      if (req.url === '/readyz') {
        const result = await readiness([postgresCheck(opts.prisma), { name: 'temporal', run: () => opts.connection.workflowService.getSystemInfo({}) }]);
        return send(result.ready ? 200 : 503, result);
      }
      if (req.url === '/metrics') return send(200, await registry.metrics(), registry.contentType);
      return send(404, { error: 'not found' });
    };
    handle().catch((err) => send(500, { error: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(opts.port, opts.host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
