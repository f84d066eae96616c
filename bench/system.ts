/**
 * The system as the benchmarks run it: embedded PostgreSQL, the Temporal dev
 * server with its SQLite file, the dev outbox in this process, and the worker
 * and API as their own processes (as in production). BENCH_TOPOLOGY=cluster runs
 * the real Temporal server on PostgreSQL instead (lib/dev-stack/temporal-cluster.ts;
 * its own databases on the same PostgreSQL server).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { type Outbox, startOutbox } from '../dev-outbox/outbox';
import { type SandboxVendor, startSandboxVendor } from '../dev-verifier/vendor';
import { createPrisma, createSqlPool } from '../lib/adapters/db';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../lib/dev-stack/embedded-postgres';
import { ROOT, freePort, migrate, startTemporalDevServer, waitForPort } from '../lib/dev-stack/local-stack';
import { type TemporalCluster, startTemporalCluster } from '../lib/dev-stack/temporal-cluster';

/** Which Temporal the benchmarks run on: the dev server (default) or the cluster server. */
export const TOPOLOGY = process.env.BENCH_TOPOLOGY === 'cluster' ? 'cluster' : 'dev-server';
import { seedDemo } from '../lib/dev-stack/seed';

export interface BenchSystem {
  db: EmbeddedDatabase;
  outbox: Outbox;
  base: string;
  temporalAddress: string;
  env: NodeJS.ProcessEnv;
  /** Process ids of the worker and the API (for their peak RSS). */
  pids: { worker: number; api: number };
  stop(): Promise<void>;
}

export async function startBenchSystem(name: string): Promise<BenchSystem> {
  const dir = path.join(ROOT, '.data', 'bench', name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const children: ChildProcess[] = [];
  const db = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort(), database: 'bench', persistent: false });
  let stopping = false;
  let cluster: TemporalCluster | undefined;
  const stop = async () => {
    stopping = true;
    await stopAll(children);
    await cluster?.stop();
    await outbox?.stop();
    await vendor?.stop();
    await db.stop();
  };
  let outbox: Outbox | undefined;
  let vendor: SandboxVendor | undefined;
  try {
    await migrate(db.url);
    const prisma = createPrisma(db.url, 2);
    const sql = createSqlPool(db.url, 2);
    await seedDemo({ prisma, sql });
    await prisma.$disconnect();
    await sql.end();
    let temporalAddress: string;
    if (TOPOLOGY === 'cluster') {
      const url = new URL(db.url);
      cluster = await startTemporalCluster({
        db: { host: url.hostname, port: Number(url.port), user: url.username, password: url.password },
        logFile: path.join(dir, 'temporal-server.log'),
      });
      temporalAddress = cluster.address;
    } else {
      const temporalPort = await freePort();
      children.push(await startTemporalDevServer({ port: temporalPort, dbFile: path.join(dir, 'temporal.db') }));
      temporalAddress = `127.0.0.1:${temporalPort}`;
    }
    outbox = await startOutbox({ httpPort: 0, smtpPort: 0, accountSid: 'AC22222222222222222222222222222222', authToken: 'bench' });
    // The sandbox verification vendor, as npm start runs it (four-element verification of the onboarding load).
    vendor = await startSandboxVendor({ port: 0, secretId: 'AKIDbench00000000000000000000000000', secretKey: 'bench-verifier-key-0123456789abcdef' });
    const apiPort = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
      SESSION_SECRET: 'bench-secret-0123456789abcdef0123456789abcdef',
      NODE_ENV: 'production',
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: temporalAddress,
      API_PORT: String(apiPort),
      PUBLIC_BASE_URL: `http://127.0.0.1:${apiPort}`,
      SMTP_PORT: String(outbox.smtpPort),
      TWILIO_ACCOUNT_SID: 'AC22222222222222222222222222222222',
      TWILIO_AUTH_TOKEN: 'bench',
      TWILIO_API_BASE: outbox.httpUrl,
      VERIFIER_URL: vendor.url,
      VERIFIER_SECRET_ID: 'AKIDbench00000000000000000000000000',
      VERIFIER_SECRET_KEY: 'bench-verifier-key-0123456789abcdef',
      LOG_LEVEL: 'warn',
      WORKER_HTTP_PORT: '0',
    };
    // BENCH_PROFILE=1 writes V8 CPU profiles of the API and the worker to bench/results/profiles/.
    const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.join(ROOT, 'bench/results/profiles')}`] : [];
    // BENCH_NODE_FLAGS passes V8 flags to the API and the worker (e.g. a heap limit).
    profile.push(...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []));
    // The compiled code of `npm run build` (scripts/bench.sh builds it), as production runs it: the
    // worker loads the prebuilt dist/workflow-bundle.js.
    const compiled = (script: string) => path.join(ROOT, 'dist', script.replace(/\.ts$/, '.js'));
    if (!fs.existsSync(compiled('api/main.ts'))) throw new Error('dist/ is missing: run npm run build (npm run bench does)');
    const pids = { worker: 0, api: 0 };
    for (const [name, script] of [
      ['worker', 'worker/main.ts'],
      ['api', 'api/main.ts'],
    ] as const) {
      const child = spawn(process.execPath, [...profile, compiled(script)], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
      children.push(child);
      pids[name] = child.pid!;
      child.once('exit', (code, signal) => {
        if (!stopping) console.error(`[bench] ${name} exited unexpectedly (code ${code}, signal ${signal})`);
      });
    }
    await waitForPort(apiPort, 60_000, 'API');
    return { db, outbox, base: `http://127.0.0.1:${apiPort}`, temporalAddress, env, pids, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** API and worker first (they drain), then the Temporal server; each gets 15 s. */
async function stopAll(children: ChildProcess[]): Promise<void> {
  for (const c of [...children].reverse()) {
    if (c.exitCode !== null || c.signalCode !== null) continue;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  }
}

export function writeResult(file: string, lines: string[]): void {
  console.log(lines.join('\n'));
  fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'bench', 'results', file), `${new Date().toISOString()}\n${lines.join('\n')}\n`);
}

/** Peak resident set size of a process so far (Linux VmHWM), in MB. */
export function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

/** A signed-in HTTP client of the API (cookie kept), answering parsed JSON. */
export async function apiClient(base: string, username: string, password: string) {
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!login.ok) throw new Error(`login ${username}: ${login.status}`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return async (method: string, url: string, body?: unknown): Promise<any> => {
    const isForm = body instanceof FormData;
    const send = () =>
      fetch(base + url, {
        method,
        headers: { cookie, ...(body && !isForm ? { 'content-type': 'application/json' } : {}) },
        body: isForm ? body : body ? JSON.stringify(body) : undefined,
      });
    // A kept-alive connection the server closed while idle (a long step in between) fails
    // the next request before it is sent; a GET is simply sent again.
    const res = await send().catch((err: unknown) => {
      if (method === 'GET') return send();
      throw err;
    });
    if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
    const type = res.headers.get('content-type') ?? '';
    return type.includes('json') ? res.json() : Buffer.from(await res.arrayBuffer());
  };
}

/** The demo application 1001001 and a bare member of it to hang generated orders on (bench data only). */
export async function benchApplicationAndMember(db: pg.Client, bizUserId: string): Promise<{ app: string; member: string }> {
  const app = (await db.query(`SELECT id FROM "Application" WHERE "appNo" = '1001001'`)).rows[0].id as string;
  const member = (
    await db.query(
      `INSERT INTO "Member" (id, "applicationId", "bizUserId", type, status, "displayName", "updatedAt") VALUES (gen_random_uuid(), $1, $2, 'INDIVIDUAL', 'NORMAL', '压测会员', now()) RETURNING id`,
      [app, bizUserId],
    )
  ).rows[0].id as string;
  return { app, member };
}
