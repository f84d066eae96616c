/**
 * Local components started by the project's own scripts (`npm start`, tests,
 * benchmark): the Temporal dev server, database migrations, port helpers.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { applyMigrations } from '../adapters/migrations';

export const ROOT = path.resolve(__dirname, '..', '..');

/** Binaries installed by scripts/setup.sh. */
export function toolPath(name: 'temporal' | 'temporal-test-server'): string {
  const p = path.join(ROOT, '.tools/bin', name);
  if (!fs.existsSync(p)) throw new Error(`${p} is missing: run scripts/setup.sh --test (npm test and npm start do)`);
  return p;
}

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

/** Applies the migrations of prisma/migrations to a database (lib/adapters/migrations.ts, no Prisma CLI). */
export async function migrate(databaseUrl: string): Promise<void> {
  await applyMigrations(databaseUrl);
}

/** Custom search attributes the workflows set (registered when the dev server starts). */
export const SEARCH_ATTRIBUTES = ['OnboardingStage=Keyword', 'BusinessKey=Keyword'];

/** The official Temporal dev server: in memory, or durable in a SQLite file. */
export async function startTemporalDevServer(opts: {
  port: number;
  uiPort?: number;
  dbFile?: string;
  /** Remote codec the Web UI calls to show encrypted payloads decoded. */
  uiCodecEndpoint?: string;
}): Promise<ChildProcess> {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--namespace', 'default', '--log-level', 'error'];
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort));
  else args.push('--headless');
  if (opts.uiCodecEndpoint) args.push('--ui-codec-endpoint', opts.uiCodecEndpoint);
  if (opts.dbFile) {
    // WAL with normal sync: durable across process crashes (only a power cut can lose the
    // last commits), and far fewer fsyncs than SQLite's default rollback journal.
    args.push('--db-filename', opts.dbFile, '--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
  }
  for (const sa of SEARCH_ATTRIBUTES) args.push('--search-attribute', sa);
  // Own process group, so a Ctrl-C meant for the caller does not stop it before the worker has drained.
  const child = spawn(toolPath('temporal'), args, { stdio: ['ignore', 'ignore', 'inherit'], detached: true });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`Temporal dev server exited (${code}); is port ${opts.port} in use?`))),
  );
  await Promise.race([waitForPort(opts.port, 60_000, 'Temporal dev server'), exited]);
  return child;
}
