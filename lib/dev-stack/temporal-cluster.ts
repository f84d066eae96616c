/**
 * The real Temporal server (the cluster binary, built from the server's Go module by
 * scripts/setup.sh --cluster) on PostgreSQL: its own two databases with the schema applied by
 * temporal-sql-tool, the configuration of deploy/temporal/config (the same files docker-compose
 * mounts), the namespace and our search attributes registered. This is the production topology
 * on one machine: `npm run start:cluster`, the cluster smoke test, the reliability run and the
 * cluster benchmark use it.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { ROOT, SEARCH_ATTRIBUTES, waitForPort } from './local-stack';

const run = promisify(execFile);

/** The pinned server version: scripts/setup.sh builds it, docker-compose runs its images. */
export const TEMPORAL_SERVER_VERSION = '1.29.1';
export const CLUSTER_CONFIG_DIR = path.join(ROOT, 'deploy/temporal/config');

export interface ClusterDatabase {
  host: string;
  port: number;
  user: string;
  password: string;
}

export interface TemporalCluster {
  address: string;
  /** The server process (all four services in one process, as the compose service runs them). */
  process: ChildProcess;
  stop(): Promise<void>;
  /** Starts the server again on the same databases and ports (after stop or a kill). */
  restart(): Promise<void>;
}

function clusterTool(name: 'temporal-server' | 'temporal-sql-tool' | 'temporal-schema'): string {
  const p = path.join(ROOT, '.tools', name === 'temporal-schema' ? name : `bin/${name}`);
  if (!fs.existsSync(p)) throw new Error(`${p} is missing: run scripts/setup.sh --cluster (npm run start:cluster and npm test do)`);
  return p;
}

/** Databases and schema, by temporal-sql-tool: created when missing, brought up to the binary's version otherwise. */
export async function prepareClusterDatabases(db: ClusterDatabase, names = { temporal: 'temporal', visibility: 'temporal_visibility' }): Promise<void> {
  const env = {
    ...process.env,
    SQL_PLUGIN: 'postgres12',
    SQL_HOST: db.host,
    SQL_PORT: String(db.port),
    SQL_USER: db.user,
    SQL_PASSWORD: db.password,
  };
  const schema = path.join(clusterTool('temporal-schema'), 'postgresql/v12');
  const tool = clusterTool('temporal-sql-tool');
  for (const [database, dir] of [
    [names.temporal, 'temporal'],
    [names.visibility, 'visibility'],
  ] as const) {
    const sql = (...args: string[]) => run(tool, ['--db', database, ...args], { env });
    // create-database answers an error for an existing database; --quiet keeps the exit status 0.
    await sql('--quiet', 'create-database');
    await sql('setup-schema', '-v', '0.0');
    await sql('update-schema', '-d', path.join(schema, dir, 'versioned'));
  }
}

/** Starts the cluster on the given PostgreSQL server and registers the namespace and search attributes. */
export async function startTemporalCluster(opts: {
  db: ClusterDatabase;
  /** Frontend gRPC port; the other services' ports are taken free. */
  port?: number;
  databases?: { temporal: string; visibility: string };
  namespace?: string;
  logFile?: string;
}): Promise<TemporalCluster> {
  const databases = opts.databases ?? { temporal: 'temporal', visibility: 'temporal_visibility' };
  await prepareClusterDatabases(opts.db, databases);
  const frontend = opts.port ?? (await membershipSafePort());
  const ports: Record<string, number> = { FRONTEND_GRPC_PORT: frontend };
  for (const name of [
    'FRONTEND_MEMBERSHIP_PORT',
    'FRONTEND_HTTP_PORT',
    'HISTORY_GRPC_PORT',
    'HISTORY_MEMBERSHIP_PORT',
    'MATCHING_GRPC_PORT',
    'MATCHING_MEMBERSHIP_PORT',
    'WORKER_GRPC_PORT',
    'WORKER_MEMBERSHIP_PORT',
  ]) {
    ports[name] = await membershipSafePort();
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    POSTGRES_SEEDS: opts.db.host,
    POSTGRES_PORT: String(opts.db.port),
    POSTGRES_USER: opts.db.user,
    POSTGRES_PWD: opts.db.password,
    DBNAME: databases.temporal,
    VISIBILITY_DBNAME: databases.visibility,
    DYNAMIC_CONFIG_FILE_PATH: path.join(CLUSTER_CONFIG_DIR, 'dynamicconfig/production.yaml'),
    LOG_LEVEL: process.env.TEMPORAL_LOG_LEVEL ?? 'error',
  };
  const address = `127.0.0.1:${frontend}`;
  const namespace = opts.namespace ?? 'default';

  const spawnServer = async (): Promise<ChildProcess> => {
    const log = opts.logFile ? fs.openSync(opts.logFile, 'a') : 'ignore';
    const child = spawn(
      clusterTool('temporal-server'),
      ['--root', ROOT, '--config', path.relative(ROOT, CLUSTER_CONFIG_DIR), '--env', 'production', '--allow-no-auth', 'start'],
      { env, stdio: ['ignore', log, log], detached: true },
    );
    if (typeof log === 'number') fs.closeSync(log);
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) =>
        reject(new Error(`Temporal server exited (${code}) before serving on ${address}${opts.logFile ? `; see ${opts.logFile}` : ''}`)),
      ),
    );
    try {
      await Promise.race([waitForPort(frontend, 60_000, 'Temporal server'), exited]);
      await Promise.race([registerNamespace(address, namespace), exited]);
    } catch (err) {
      await stopProcess(child); // nothing left running when the start fails
      throw err;
    }
    return child;
  };

  const cluster: TemporalCluster = {
    address,
    process: await spawnServer(),
    async stop() {
      await stopProcess(cluster.process);
    },
    async restart() {
      await stopProcess(cluster.process);
      cluster.process = await spawnServer();
    },
  };
  return cluster;
}

/**
 * A free port the cluster can record: its membership table keeps ports as smallint, so the
 * kernel's ephemeral ports (above 32767) are refused there.
 */
async function membershipSafePort(): Promise<number> {
  for (let tries = 0; tries < 200; tries++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await portFree(port)) return port;
  }
  throw new Error('no free port between 20000 and 32000');
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => (clearTimeout(kill), resolve()));
    child.kill('SIGTERM');
  });
}

/**
 * The namespace (30 days' retention of closed flows) and the search attributes the workflows
 * set; each only when missing. Waits until the namespace answers a visibility query, so the
 * first flow start does not meet a namespace the frontend's cache does not know yet.
 */
export async function registerNamespace(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const svc = connection.workflowService;
    const known = await svc.describeNamespace({ namespace }).then(
      () => true,
      () => false,
    );
    if (!known) {
      await svc.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('30 days') }).catch((err: { code?: number }) => {
        if (err.code !== 6) throw err; // ALREADY_EXISTS: another starter won the race
      });
    }
    // A new namespace reaches the frontend's cache within seconds: until then it is "not found".
    const existing = await retrying(() => connection.operatorService.listSearchAttributes({ namespace }));
    const missing = SEARCH_ATTRIBUTES.map((sa) => sa.split('=') as [string, string]).filter(([name]) => !(name in (existing.customAttributes ?? {})));
    if (missing.length > 0) {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map(([name, type]) => [name, indexedValueType(type)])),
      });
    }
    await retrying(() => svc.countWorkflowExecutions({ namespace, query: `OnboardingStage = 'x'` }));
  } finally {
    await connection.close();
  }
}

async function retrying<T>(call: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await call();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

function indexedValueType(type: string): temporal.api.enums.v1.IndexedValueType {
  const value = temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${type.toUpperCase()}` as keyof typeof temporal.api.enums.v1.IndexedValueType];
  if (typeof value !== 'number') throw new Error(`unknown search attribute type ${type}`);
  return value;
}
