/**
 * A whole system of its own for the fault tests (R1, R2): embedded PostgreSQL
 * (persistent, so it can be restarted), Temporal, the dev outbox, the API in this
 * process and the worker as a child process, each of which the test can kill or restart.
 * Temporal is one of the two topologies: the dev server on a SQLite file, or the real
 * cluster server on its own PostgreSQL (lib/dev-stack/temporal-cluster.ts), as in production.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { type App, createApp } from '../../api/app';
import type { AppDeps } from '../../api/context';
import { type Outbox, startOutbox } from '../../dev-outbox/outbox';
import { type Config, parseConfig } from '../../lib/adapters/config';
import { ROOT, freePort, migrate, startTemporalDevServer } from '../../lib/dev-stack/local-stack';
import { type TemporalCluster, startTemporalCluster } from '../../lib/dev-stack/temporal-cluster';
import { type Services, createServices } from '../../lib/services';
import { connectTemporalClient } from '../../lib/adapters/temporal';
import { TEST_KEYS } from '../support/infra';
import { startSandboxVendor } from '../../dev-verifier/vendor';
import { startWorkerProcess, workerEnv } from '../support/worker-process';

export type Topology = 'dev-server' | 'cluster';
/** Both topologies, each fault test runs on each. */
export const TOPOLOGIES: Topology[] = ['dev-server', 'cluster'];

export interface ReliabilityStack {
  topology: Topology;
  config: Config;
  services: Services;
  temporal: Client;
  app: App;
  outbox: Outbox;
  killWorker(): Promise<void>;
  /** Rolls out another worker build: the running worker stops gracefully, one with `env` takes over. */
  replaceWorker(env: Record<string, string>): Promise<void>;
  restartTemporal(): Promise<void>;
  restartPostgres(): Promise<void>;
  stop(): Promise<void>;
}

/** PostgreSQL as a child process (see postgres-process.ts); resolves with it once it accepts connections. */
function startPostgres(dataDir: string, port: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'postgres-process.ts'), dataDir, String(port)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (c: Buffer) => {
      seen += c.toString();
      const url = /READY (\S+)/.exec(seen)?.[1];
      if (url) resolve({ child, url });
    });
    child.once('exit', (code) => reject(new Error(`postgres exited early (${code})`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs a shutdown step for at most `ms`; a step that hangs is reported and left behind. */
async function bounded(name: string, step: () => Promise<unknown>, ms = 10_000): Promise<void> {
  const t0 = Date.now();
  const done = await Promise.race([
    step().then(
      () => true,
      () => true,
    ),
    sleep(ms).then(() => false),
  ]);
  if (!done) console.warn(`[reliability] stop: ${name} did not close within ${ms} ms (${Date.now() - t0} ms); going on`);
}

/** Sends `signal`, then SIGKILL after `graceMs`; true when the process exited on the first signal. */
async function stopProcess(name: string, child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  child.kill(signal);
  if (await Promise.race([exited(child).then(() => true), sleep(graceMs).then(() => false)])) return true;
  console.warn(`[reliability] stop: ${name} ignored ${signal} for ${graceMs} ms; killing it`);
  child.kill('SIGKILL');
  await exited(child);
  return false;
}

/** The postmaster of a data directory whose wrapper process was killed: stopped at once (SIGQUIT, immediate shutdown). */
function killPostmaster(dataDir: string): void {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 'SIGQUIT');
  } catch {
    // already gone
  }
}

/** The Temporal side of the stack: started, restarted and stopped the same way on either topology. */
interface TemporalUnderTest {
  address: string;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function startTemporal(topology: Topology, dir: string): Promise<TemporalUnderTest> {
  if (topology === 'dev-server') {
    const options = { port: await freePort(), dbFile: path.join(dir, 'temporal.db') };
    let server = await startTemporalDevServer(options);
    return {
      address: `127.0.0.1:${options.port}`,
      async restart() {
        server.kill('SIGTERM');
        await exited(server);
        server = await startTemporalDevServer(options);
      },
      async stop() {
        await stopProcess('Temporal server', server, 'SIGTERM', 15_000);
      },
    };
  }
  // The cluster keeps its state on its own PostgreSQL server, as compose runs it (temporal-db).
  const pgDir = path.join(dir, 'temporal-pg');
  const pg = await startPostgres(pgDir, await freePort());
  const url = new URL(pg.url);
  let cluster: TemporalCluster;
  try {
    cluster = await startTemporalCluster({
      db: { host: url.hostname, port: Number(url.port), user: url.username, password: url.password },
      logFile: path.join(dir, 'temporal-server.log'),
    });
  } catch (err) {
    if (!(await stopProcess('Temporal PostgreSQL', pg.child, 'SIGTERM', 20_000))) killPostmaster(pgDir);
    throw err;
  }
  return {
    address: cluster.address,
    restart: () => cluster.restart(),
    async stop() {
      await cluster.stop();
      if (!(await stopProcess('Temporal PostgreSQL', pg.child, 'SIGTERM', 20_000))) killPostmaster(pgDir);
    },
  };
}

export async function startReliabilityStack(name: string, topology: Topology = 'dev-server'): Promise<ReliabilityStack> {
  const dir = path.join(ROOT, '.data', `reliability-${name}-${topology}-${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const pgDir = path.join(dir, 'pg');
  const pgPort = await freePort();
  let db = await startPostgres(pgDir, pgPort);
  await migrate(db.url);
  const temporalServer = await startTemporal(topology, dir);
  const outbox = await startOutbox({ httpPort: 0, smtpPort: 0, accountSid: TEST_KEYS.TWILIO_ACCOUNT_SID, authToken: TEST_KEYS.TWILIO_AUTH_TOKEN });
  const vendor = await startSandboxVendor({ port: 0, secretId: TEST_KEYS.VERIFIER_SECRET_ID, secretKey: TEST_KEYS.VERIFIER_SECRET_KEY });
  const config = parseConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    TEMPORAL_ADDRESS: temporalServer.address,
    SMTP_PORT: String(outbox.smtpPort),
    TWILIO_API_BASE: outbox.httpUrl,
    OUTBOX_URL: outbox.httpUrl,
    VERIFIER_URL: vendor.url,
    WEBHOOK_POLL_MS: '1000',
    LOGIN_FAILURES_PER_ADDRESS: '1000000',
    WORKER_HTTP_PORT: '0',
    ...TEST_KEYS,
  });
  const services = createServices(config, { poolSize: 10 });
  const temporal = await connectTemporalClient(config);
  // Updates wait longer than in the other tests: a restarted worker takes a few seconds to pick up.
  const deps: AppDeps = { config, services, temporal, updateTimeoutMs: 20_000 };
  const app = createApp(deps, { log: () => undefined });
  const env = workerEnv(config, {});
  let worker = await startWorkerProcess(env);

  return {
    topology,
    config,
    services,
    temporal,
    app,
    outbox,
    async killWorker() {
      worker.kill('SIGKILL');
      await exited(worker);
      worker = await startWorkerProcess(env);
    },
    async replaceWorker(overrides) {
      await stopProcess('worker', worker, 'SIGTERM', 20_000);
      worker = await startWorkerProcess({ ...env, ...overrides });
    },
    async restartTemporal() {
      await temporalServer.restart();
    },
    async restartPostgres() {
      db.child.kill('SIGTERM');
      await exited(db.child);
      db = await startPostgres(pgDir, pgPort);
    },
    async stop() {
      // Every step is bounded and every process is made to exit: after restarts a client may hang on a
      // dead connection, and a process that ignores its signal must not outlive the test.
      worker.kill('SIGKILL');
      await exited(worker);
      await bounded('API', () => app.close());
      await bounded('Prisma', () => services.prisma.$disconnect());
      await bounded('Temporal client', () => temporal.connection.close());
      await bounded('outbox', () => outbox.stop());
      await bounded('verification vendor', () => vendor.stop());
      await temporalServer.stop();
      if (!(await stopProcess('PostgreSQL', db.child, 'SIGTERM', 20_000))) killPostmaster(pgDir);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
