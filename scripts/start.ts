/**
 * Brings the whole product up on one machine with no system services:
 * embedded PostgreSQL (unless DATABASE_URL is set), the Temporal dev server
 * (SQLite file under .data/), the dev outbox, the worker, the API and the web
 * UI (which forwards /api to the API). Prints one URL; Ctrl-C stops everything in reverse order.
 *
 * `--cluster` (npm run start:cluster) runs the production topology instead: the real Temporal
 * server on PostgreSQL (its own databases beside the product's), two workers and two API
 * processes from the compiled code (dist/, built by npm run build), the web UI forwarding to
 * both APIs in turn. Same demo data, same URL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createPrisma, createSqlPool } from '../lib/adapters/db';
import { FieldCrypto } from '../lib/adapters/field-crypto';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../lib/dev-stack/embedded-postgres';
import { DEMO_USERS, seedDemo } from '../lib/dev-stack/seed';
import { placeExampleOrders } from './examples/orders-client';
import { SANDBOX_VERIFIER_KEYS } from '../lib/adapters/config';
import { migrate, startTemporalDevServer } from '../lib/dev-stack/local-stack';
import { type TemporalCluster, startTemporalCluster } from '../lib/dev-stack/temporal-cluster';

const CLUSTER = process.argv.includes('--cluster');
/** The sandbox verification vendor is always started (test environments use it); production uses it unless VERIFIER names the vendor itself. */
const SANDBOX_VERIFIER = (process.env.VERIFIER ?? 'sandbox') === 'sandbox';

const ROOT = path.resolve(__dirname, '..');
const DATA = path.join(ROOT, '.data');
const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const PORTS = {
  web: port('WEB_PORT', 3000),
  api: port('API_PORT', 3001),
  api2: port('API_PORT_2', 3011),
  worker: port('WORKER_HTTP_PORT', 3002),
  worker2: port('WORKER_HTTP_PORT_2', 3012),
  postgres: port('EMBEDDED_PG_PORT', 5433),
  temporal: port('TEMPORAL_PORT', 7233),
  temporalUi: port('TEMPORAL_UI_PORT', 8233),
  outbox: port('OUTBOX_HTTP_PORT', 8025),
  channel: port('PAYMENT_CHANNEL_PORT', 8026),
  verifier: port('VERIFIER_PORT', 8027),
  smtp: port('SMTP_PORT', 2525),
};

/** Keys are made once and kept: the data in .data/ is encrypted with them. */
function localSecrets(): Record<string, string> {
  const file = path.join(DATA, 'secrets.json');
  if (!fs.existsSync(file)) {
    fs.writeFileSync(
      file,
      JSON.stringify({
        DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        SESSION_SECRET: randomBytes(32).toString('base64url'),
      }),
      { mode: 0o600 },
    );
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
}

const children: { name: string; proc: ChildProcess }[] = [];
let db: EmbeddedDatabase | undefined;
let cluster: TemporalCluster | undefined;
let stopping = false;

/** Starts one part (its TypeScript source, or in cluster mode its compiled file); resolves once it printed `readyText`. */
function run(name: string, script: string, env: NodeJS.ProcessEnv, readyText: string): Promise<ChildProcess> {
  const args = CLUSTER ? [path.join('dist', script.replace(/\.ts$/, '.js'))] : ['--import', 'tsx', script];
  // Own process group: Ctrl-C reaches only this script, which stops the parts in order.
  const proc = spawn(process.execPath, args, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  const ready = new Promise<ChildProcess>((resolve) => {
    let seen = '';
    let isReady = false;
    proc.stdout!.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      if (isReady) return;
      seen += chunk.toString();
      if (seen.includes(readyText)) {
        isReady = true;
        seen = '';
        resolve(proc);
      }
    });
  });
  proc.on('exit', (code) => {
    if (!stopping) {
      console.error(`[start] ${name} exited (${code}); stopping everything`);
      void stop(1);
    }
  });
  children.push({ name, proc });
  return ready;
}

function terminate(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => (proc.kill('SIGKILL'), resolve()), 10_000);
    proc.once('exit', () => (clearTimeout(t), resolve()));
    proc.kill('SIGTERM');
  });
}

/** API, worker and outbox first (the worker drains against a live Temporal), then Temporal, then PostgreSQL. */
async function stop(code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('\n[start] stopping…');
  await Promise.all(children.filter((c) => c.name !== 'temporal').map((c) => terminate(c.proc)));
  await Promise.all(children.filter((c) => c.name === 'temporal').map((c) => terminate(c.proc)));
  await cluster?.stop().catch(() => undefined);
  await db?.stop().catch(() => undefined);
  console.log('[start] stopped');
  process.exit(code);
}

async function main() {
  fs.mkdirSync(DATA, { recursive: true });
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());

  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.log('[start] embedded PostgreSQL (.data/postgres)');
    db = await startEmbeddedPostgres({
      dataDir: path.join(DATA, 'postgres'),
      port: PORTS.postgres,
      database: 'onboarding',
      persistent: true,
    });
    databaseUrl = db.url;
  }
  console.log('[start] applying database migrations');
  await migrate(databaseUrl);
  let freshDemo = false;
  if (process.env.SEED_DEMO !== 'false') {
    const prisma = createPrisma(databaseUrl, 2);
    const sql = createSqlPool(databaseUrl, 2);
    const secrets = localSecrets();
    freshDemo = (await seedDemo({ prisma, sql }, new FieldCrypto(secrets.DATA_ENCRYPTION_KEY!, secrets.SESSION_SECRET!))).historyBooked;
    await prisma.$disconnect();
    await sql.end();
  }

  let temporalAddress = `127.0.0.1:${PORTS.temporal}`;
  if (CLUSTER) {
    // The cluster's own databases on the product's PostgreSQL server (its own server in production).
    const pgUrl = new URL(process.env.TEMPORAL_POSTGRES_URL ?? databaseUrl);
    console.log(`[start] Temporal server on PostgreSQL (databases temporal, temporal_visibility on ${pgUrl.host})`);
    cluster = await startTemporalCluster({
      db: { host: pgUrl.hostname, port: Number(pgUrl.port || 5432), user: decodeURIComponent(pgUrl.username), password: decodeURIComponent(pgUrl.password) },
      port: PORTS.temporal,
      logFile: path.join(DATA, 'temporal-server.log'),
    });
    temporalAddress = cluster.address;
    cluster.process.on('exit', (c) => !stopping && (console.error(`[start] Temporal server exited (${c}); see .data/temporal-server.log`), void stop(1)));
  } else {
    console.log('[start] Temporal dev server (.data/temporal.db)');
    const temporal = await startTemporalDevServer({
      port: PORTS.temporal,
      uiPort: PORTS.temporalUi,
      dbFile: path.join(DATA, 'temporal.db'),
      uiCodecEndpoint: `http://127.0.0.1:${PORTS.outbox}/codec`,
    });
    children.push({ name: 'temporal', proc: temporal });
    temporal.on('exit', (c) => !stopping && (console.error(`[start] temporal exited (${c})`), void stop(1)));
  }

  const base = `http://127.0.0.1:${PORTS.web}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...localSecrets(),
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    // The cluster has no Web UI of its own (temporalio/ui is a separate service in compose).
    ...(CLUSTER ? {} : { TEMPORAL_UI_URL: `http://127.0.0.1:${PORTS.temporalUi}` }),
    API_PORT: String(PORTS.api),
    WEB_PORT: String(PORTS.web),
    API_URL: CLUSTER ? `http://127.0.0.1:${PORTS.api},http://127.0.0.1:${PORTS.api2}` : `http://127.0.0.1:${PORTS.api}`,
    PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL ?? base,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(PORTS.smtp),
    OUTBOX_HTTP_PORT: String(PORTS.outbox),
    TWILIO_API_BASE: `http://127.0.0.1:${PORTS.outbox}`,
    OUTBOX_URL: `http://127.0.0.1:${PORTS.outbox}`,
    PAYMENT_CHANNEL_PORT: String(PORTS.channel),
    PAYMENT_CHANNEL_URL: `http://127.0.0.1:${PORTS.channel}`,
    // The sandbox channel remembers its transactions across restarts, like the real one.
    PAYMENT_CHANNEL_STATE: path.join(DATA, 'sandbox-channel.json'),
    SANDBOX_BANK_STATEMENT_URL: `http://127.0.0.1:${PORTS.channel}/sandbox/statement`,
    VERIFIER_PORT: String(PORTS.verifier),
    // The sandbox vendor unless the deployment chose the vendor itself (VERIFIER=tencent-cloud, README).
    ...(SANDBOX_VERIFIER ? { VERIFIER_URL: `http://127.0.0.1:${PORTS.verifier}` } : {}),
    TEST_VERIFIER_URL: `http://127.0.0.1:${PORTS.verifier}`,
  };
  await run('outbox', 'dev-outbox/main.ts', env, '[outbox] page');
  await run('channel', 'dev-channel/main.ts', env, '[channel] sandbox');
  // With the vendor itself in production, the sandbox keeps its own dev keys (test environments use those).
  const sandboxKeys = SANDBOX_VERIFIER ? {} : { VERIFIER_SECRET_ID: SANDBOX_VERIFIER_KEYS.id, VERIFIER_SECRET_KEY: SANDBOX_VERIFIER_KEYS.key };
  await run('verifier', 'dev-verifier/main.ts', { ...env, ...sandboxKeys }, '[verifier] sandbox');
  const workerEnv = { ...env, WORKER_HTTP_PORT: String(PORTS.worker) };
  await Promise.all([
    run('worker', 'worker/main.ts', workerEnv, '[worker] polling'),
    run('api', 'api/main.ts', env, '[api] listening'),
    run('web', 'web/server/main.ts', env, '[web] serving'),
    ...(CLUSTER
      ? [
          run('worker 2', 'worker/main.ts', { ...env, WORKER_HTTP_PORT: String(PORTS.worker2) }, '[worker] polling'),
          run('api 2', 'api/main.ts', { ...env, API_PORT: String(PORTS.api2) }, '[api] listening'),
        ]
      : []),
  ]);

  const users = DEMO_USERS.map((u) => `    ${u.displayName.padEnd(8, '　')} ${u.username.padEnd(10)} ${u.password}`).join('\n');
  console.log(`
  ┌──────────────────────────────────────────────────────────┐
    云商通开户平台 is running:  ${base}
  └──────────────────────────────────────────────────────────┘
  Demo users (账号 / 密码):
${users}
  Dev outbox (SMS + mail):  http://127.0.0.1:${PORTS.outbox}
  Sandbox payment channel:  http://127.0.0.1:${PORTS.channel}
  Sandbox verifier (FaceID): http://127.0.0.1:${PORTS.verifier}
  ${CLUSTER ? `Temporal cluster:         ${temporalAddress} (2 workers, 2 APIs, compiled code)` : `Temporal Web UI:          http://127.0.0.1:${PORTS.temporalUi}`}
  Ctrl-C stops everything.
`);
  if (freshDemo) {
    // The demo history ends at midnight; today's orders are made like any platform's, through the
    // portal's order service and the sandbox channel (one of each kind, a declined one among them).
    const demo = DEMO_USERS[0]!;
    await placeExampleOrders({ base, user: demo.username, password: demo.password }, () => undefined)
      .then((orders) => console.log(`[start] today's demo orders: ${orders.length} through the sandbox channel (示例商城, 订单查询)`))
      .catch((err) => console.log(`[start] today's demo orders could not be placed: ${err instanceof Error ? err.message : err}`));
  }
}

main().catch((err) => {
  console.error('[start] failed:', err instanceof Error ? err.message : err);
  void stop(1);
});
