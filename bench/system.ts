/**
 * The system as the benchmarks run it: embedded PostgreSQL, the Temporal dev
 * server with its SQLite file, the dev outbox in this process, and the worker
 * and API as their own processes (as in production).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { type Outbox, startOutbox } from '../dev-outbox/outbox';
import { createPrisma } from '../lib/db';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../lib/embedded-postgres';
import { ROOT, freePort, migrate, startTemporalDevServer, waitForPort } from '../lib/local-stack';
import { seedDemo } from '../lib/seed';

export interface BenchSystem {
  db: EmbeddedDatabase;
  outbox: Outbox;
  base: string;
  temporalAddress: string;
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export async function startBenchSystem(name: string): Promise<BenchSystem> {
  const dir = path.join(ROOT, '.data', 'bench', name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const children: ChildProcess[] = [];
  const db = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort(), database: 'bench', persistent: false });
  const stop = async () => {
    await stopAll(children);
    await outbox?.stop();
    await db.stop();
  };
  let outbox: Outbox | undefined;
  try {
    migrate(db.url);
    const prisma = createPrisma(db.url, 2);
    await seedDemo(prisma);
    await prisma.$disconnect();
    const temporalPort = await freePort();
    children.push(await startTemporalDevServer({ port: temporalPort, dbFile: path.join(dir, 'temporal.db') }));
    outbox = await startOutbox({ httpPort: 0, smtpPort: 0, accountSid: 'AC22222222222222222222222222222222', authToken: 'bench' });
    const apiPort = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
      SESSION_SECRET: 'bench-secret-0123456789abcdef0123456789abcdef',
      NODE_ENV: 'production',
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
      API_PORT: String(apiPort),
      PUBLIC_BASE_URL: `http://127.0.0.1:${apiPort}`,
      SMTP_PORT: String(outbox.smtpPort),
      TWILIO_ACCOUNT_SID: 'AC22222222222222222222222222222222',
      TWILIO_AUTH_TOKEN: 'bench',
      TWILIO_API_BASE: outbox.httpUrl,
      LOG_LEVEL: 'warn',
    };
    // BENCH_PROFILE=1 writes V8 CPU profiles of the API and the worker to bench/results/profiles/.
    const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.join(ROOT, 'bench/results/profiles')}`] : [];
    for (const script of ['worker/main.ts', 'api/main.ts']) {
      children.push(spawn(process.execPath, [...profile, '--import', 'tsx', script], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] }));
    }
    await waitForPort(apiPort, 60_000, 'API');
    return { db, outbox, base: `http://127.0.0.1:${apiPort}`, temporalAddress: `127.0.0.1:${temporalPort}`, env, stop };
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
