/**
 * The production path, as the Dockerfile's runtime stage has it: in a scratch directory outside the
 * project, production dependencies only (`npm ci --omit=dev --ignore-scripts`), the compiled code, the
 * generated Prisma client, the migrations and the built web UI. There, under plain node: migrations
 * without the Prisma CLI, the API, a worker that loads the prebuilt workflow bundle, the web server.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { ROOT, freePort } from '../../lib/dev-stack/local-stack';
import { testConfig } from '../support/harness';

jest.setTimeout(180_000);

describe('the compiled build', () => {
  const image = fs.mkdtempSync(path.join(os.tmpdir(), 'yst-image-'));
  const out = path.join(image, 'dist');
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
    // The runtime stage's steps (Dockerfile), with the build stage's products made here.
    for (const f of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(ROOT, f), path.join(image, f));
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    execFileSync(npm, ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: image, stdio: 'pipe' });
    fs.cpSync(path.join(ROOT, 'node_modules/.prisma'), path.join(image, 'node_modules/.prisma'), { recursive: true });
    fs.cpSync(path.join(ROOT, 'prisma/migrations'), path.join(image, 'prisma/migrations'), { recursive: true });
    fs.cpSync(path.join(ROOT, 'web/dist'), path.join(image, 'web/dist'), { recursive: true });
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', out], { cwd: ROOT, stdio: 'pipe' });
    execFileSync(process.execPath, [path.join(out, 'worker/bundle.js'), path.join(out, 'workflow-bundle.js')], { cwd: image, stdio: 'pipe' });
  });
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    fs.rmSync(image, { recursive: true, force: true });
  });

  it('holds none of the project development tools (TypeScript and the Prisma CLI come only as peers of @prisma/client, never loaded)', () => {
    for (const dev of ['jest', 'vite', 'eslint', 'supertest', 'playwright-core', '@swc/jest', 'typescript-eslint', 'antd']) {
      expect(fs.existsSync(path.join(image, 'node_modules', dev))).toBe(false);
    }
    expect(fs.existsSync(path.join(image, 'node_modules/.prisma/client'))).toBe(true);
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

  it('the compiled API, worker and web server start; the API and worker are ready, the web server serves the UI and forwards /api', async () => {
    const apiPort = await freePort();
    const workerPort = await freePort();
    const webPort = await freePort();
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
    start('web/server/main.js', { WEB_HOST: '127.0.0.1', WEB_PORT: String(webPort), API_URL: `http://127.0.0.1:${apiPort}` });
    expect(await ready(webPort)).toBe(true);
    const page = await fetch(`http://127.0.0.1:${webPort}/`).then((r) => r.text());
    expect(page).toContain('<div id="root">');
    // /api goes through to the compiled API, which answers with its own error id.
    const me = await fetch(`http://127.0.0.1:${webPort}/api/auth/me`);
    expect(me.status).toBe(401);
    expect(((await me.json()) as { error: { id: string } }).error.id).toBe('auth.required');
  });
});
