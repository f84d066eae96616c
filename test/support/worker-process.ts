/**
 * A worker as its own process, on a task queue of the test's own, so a test
 * can kill -9 it and start another (crash tests). Its SMS go to the outbox
 * the test gives.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import type { Config } from '../../lib/adapters/config';

const ROOT = path.resolve(__dirname, '../..');

export function workerEnv(config: Config, overrides: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...Object.fromEntries(Object.entries(config).map(([k, v]) => [k, String(v)])),
    LOG_LEVEL: 'error',
    // Any free port for the worker's health server: several workers may run at once.
    WORKER_HTTP_PORT: '0',
    ...overrides,
  };
}

export function startWorkerProcess(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let seen = '';
    proc.stdout!.on('data', (c: Buffer) => {
      seen += c.toString();
      if (seen.includes('[worker] polling')) resolve(proc);
    });
    proc.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
}
