/**
 * The production path: the code compiled by tsconfig.build.json (as `npm run build` does) runs under
 * plain node — migrations without the Prisma CLI, the API and a worker that loads the prebuilt workflow
 * bundle — with no TypeScript toolchain loaded.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { ROOT, freePort } from '../../lib/dev-stack/local-stack';
import { testConfig } from '../support/harness';

jest.setTimeout(180_000);

describe('the compiled build', () => {
  const out = path.join(ROOT, '.data', `build-test-${randomUUID().slice(0, 8)}`);
  const children: ChildProcess[] = [];
  // A database of its own (migrated by the compiled runner): the compiled worker's housekeeping touches nothing of the suite's.
  let ownDatabase = '';
  const base = JSON.parse(process.env.TEST_CONFIG!) as Record<string, unknown>;
  const env = (overrides: Record<string, string>) => {
    const e: Record<string, string> = { PATH: process.env.PATH ?? '' };
    for (const [k, v] of Object.entries(base)) if (v !== undefined) e[k] = String(v);
    return { ...e, ...overrides };
  };

  beforeAll(() => {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', out], { cwd: ROOT, stdio: 'pipe' });
    execFileSync(process.execPath, [path.join(out, 'worker/bundle.js'), path.join(out, 'workflow-bundle.js')], { cwd: ROOT, stdio: 'pipe' });
  });
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('applies the migrations to an empty database with plain node, and a second run applies nothing', async () => {
    const admin = new pg.Client({ connectionString: testConfig().DATABASE_URL });
    await admin.connect();
    const name = `build_${randomUUID().slice(0, 8)}`;
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = testConfig().DATABASE_URL.replace(/\/[^/?]+(\?|$)/, `/${name}$1`);
    ownDatabase = url;
    const run = () => execFileSync(process.execPath, [path.join(out, 'scripts/migrate.js')], { env: env({ DATABASE_URL: url }), encoding: 'utf8' });
    const migrations = fs
      .readdirSync(path.join(ROOT, 'prisma/migrations'))
      .filter((d) => fs.existsSync(path.join(ROOT, 'prisma/migrations', d, 'migration.sql')));
    expect(run()).toContain(`applied ${migrations.length} migration(s)`);
    expect(run()).toContain(`applied 0 migration(s); ${migrations.length} already applied`);
  });

  it('loads the API and the worker without TypeScript, and the worker takes the prebuilt bundle', () => {
    const probe = `
      const app = require(${JSON.stringify(path.join(out, 'api/app.js'))});
      const worker = require(${JSON.stringify(path.join(out, 'worker/worker.js'))});
      const loaded = Object.keys(require.cache).filter((f) => /node_modules[\\\\/](typescript|tsx|@swc[\\\\/]core|esbuild|ts-node)[\\\\/]/.test(f));
      console.log(JSON.stringify({ app: typeof app.createApp, bundle: worker.workflowBundlePath(), loaded }));`;
    const answer = JSON.parse(
      execFileSync(process.execPath, ['-e', probe], { env: env({}), encoding: 'utf8' })
        .trim()
        .split('\n')
        .pop()!,
    );
    expect(answer).toEqual({ app: 'function', bundle: path.join(out, 'workflow-bundle.js'), loaded: [] });
  });

  it('the compiled API and worker start and are ready (Postgres and Temporal reachable)', async () => {
    const apiPort = await freePort();
    const workerPort = await freePort();
    const start = (file: string, overrides: Record<string, string>) => {
      const child = spawn(process.execPath, [path.join(out, file)], { env: env(overrides), stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      return child;
    };
    expect(ownDatabase).not.toBe('');
    start('api/main.js', { DATABASE_URL: ownDatabase, API_PORT: String(apiPort), API_HOST: '127.0.0.1' });
    // Its own task queue too: the suite's worker keeps the suite's flows.
    start('worker/main.js', {
      DATABASE_URL: ownDatabase,
      WORKER_HTTP_PORT: String(workerPort),
      API_HOST: '127.0.0.1',
      TEMPORAL_TASK_QUEUE: `compiled-${randomUUID()}`,
    });
    const ready = async (port: number) => {
      for (let i = 0; i < 300; i++) {
        const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) return true;
        await new Promise((r) => setTimeout(r, 200));
      }
      return false;
    };
    expect(await ready(apiPort)).toBe(true);
    expect(await ready(workerPort)).toBe(true);
  });
});
