/**
 * Real components for integration tests: embedded PostgreSQL (or TEST_DATABASE_URL),
 * the Temporal dev server, the dev outbox (SMTP + Twilio endpoint) and a worker.
 * Used by jest's global setup and by the benchmark.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../../lib/embedded-postgres';
import { parseConfig, type Config } from '../../lib/config';
import { createServices, type Services } from '../../lib/services';
import { type Outbox, startOutbox } from '../../dev-outbox/outbox';
import { createWorker } from '../../worker/worker';
import { toolPath } from './tools';

export const ROOT = path.resolve(__dirname, '../..');
export const TEST_KEYS = {
  DATA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  SESSION_SECRET: 'test-session-secret-0123456789abcdef0123456789',
  TWILIO_ACCOUNT_SID: 'AC11111111111111111111111111111111',
  TWILIO_AUTH_TOKEN: 'test-twilio-token',
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function waitForPort(port: number, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${what} did not open port ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Applies the Prisma migrations to a database (the same command `npm start` runs). */
export function migrate(databaseUrl: string): void {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/prisma.mjs'), 'migrate', 'deploy'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`prisma migrate deploy failed:\n${r.stdout}\n${r.stderr}`);
}

export const SEARCH_ATTRIBUTES = ['OnboardingStage=Keyword', 'BusinessKey=Keyword'];

/** The official Temporal dev server (in memory unless a file is given). */
export async function startTemporalDevServer(opts: { port: number; uiPort?: number; dbFile?: string }): Promise<ChildProcess> {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--namespace', 'default', '--log-level', 'error'];
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort));
  else args.push('--headless');
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);
  for (const sa of SEARCH_ATTRIBUTES) args.push('--search-attribute', sa);
  const child = spawn(toolPath('temporal'), args, { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitForPort(opts.port, 60_000, 'Temporal dev server');
  return child;
}

export interface TestInfra {
  config: Config;
  services: Services;
  outbox: Outbox;
  worker: Worker;
  stop(): Promise<void>;
}

export async function startInfra(): Promise<TestInfra> {
  let db: EmbeddedDatabase | undefined;
  let databaseUrl = process.env.TEST_DATABASE_URL;
  if (!databaseUrl) {
    db = await startEmbeddedPostgres({
      dataDir: path.join(ROOT, '.data', `test-pg-${process.pid}`),
      port: await freePort(),
      database: 'onboarding_test',
      persistent: false,
    });
    databaseUrl = db.url;
  }
  migrate(databaseUrl);
  const temporalPort = await freePort();
  const temporal = await startTemporalDevServer({ port: temporalPort });
  const outbox = await startOutbox({
    httpPort: 0,
    smtpPort: 0,
    accountSid: TEST_KEYS.TWILIO_ACCOUNT_SID,
    authToken: TEST_KEYS.TWILIO_AUTH_TOKEN,
  });
  const config = parseConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    SMTP_PORT: String(outbox.smtpPort),
    TWILIO_API_BASE: outbox.httpUrl,
    OUTBOX_URL: outbox.httpUrl,
    ...TEST_KEYS,
  });
  // Business failures (wrong code, cooldown) are logged by the worker as warnings: keep test output to errors.
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const services = createServices(config);
  const worker = await createWorker(config, services);
  const running = worker.run();
  return {
    config,
    services,
    outbox,
    worker,
    async stop() {
      worker.shutdown();
      await running.catch(() => undefined);
      await services.prisma.$disconnect();
      await outbox.stop();
      temporal.kill('SIGTERM');
      await db?.stop();
    },
  };
}
