/**
 * Real components for integration tests: embedded PostgreSQL (or TEST_DATABASE_URL),
 * the Temporal dev server, the dev outbox (SMTP + Twilio endpoint) and a worker.
 * Used by jest's global setup (the benchmark starts its own processes via lib/dev-stack/local-stack).
 */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { DefaultLogger, Runtime, type Worker, makeTelemetryFilterString } from '@temporalio/worker';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../../lib/dev-stack/embedded-postgres';
import { parseConfig, type Config } from '../../lib/adapters/config';
import { createServices, type Services } from '../../lib/services';
import { type Outbox, startOutbox } from '../../dev-outbox/outbox';
import { type SandboxChannel, startSandboxChannel } from '../../dev-channel/channel';
import { type SandboxVendor, startSandboxVendor } from '../../dev-verifier/vendor';
import { createWorker } from '../../worker/worker';
import { ensureSchedules } from '../../lib/adapters/schedules';
import { connectTemporalClient } from '../../lib/adapters/temporal';
import { ROOT, freePort, migrate, startTemporalDevServer } from '../../lib/dev-stack/local-stack';

export const TEST_KEYS = {
  DATA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  SESSION_SECRET: 'test-session-secret-0123456789abcdef0123456789',
  TWILIO_ACCOUNT_SID: 'AC11111111111111111111111111111111',
  TWILIO_AUTH_TOKEN: 'test-twilio-token',
  PAYMENT_CHANNEL_MERCHANT: 'test-merchant',
  PAYMENT_CHANNEL_KEY: 'test-channel-key-0123456789abcdef',
  VERIFIER_SECRET_ID: 'AKIDtest000000000000000000000000000',
  VERIFIER_SECRET_KEY: 'test-verifier-key-0123456789abcdef',
  /** A deployment's own test initial password (not the seed's default): the suite checks it is the one used. */
  TEST_INITIAL_PASSWORD: 'Sandbox@2026',
};

export interface TestInfra {
  config: Config;
  services: Services;
  outbox: Outbox;
  channel: SandboxChannel;
  vendor: SandboxVendor;
  worker: Worker;
  stop(): Promise<void>;
}

/** Whether the step ended within ms; one that did not is reported and left behind. */
async function bounded(step: string, done: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const finished = await Promise.race([done.then(() => true), new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)))]);
  clearTimeout(timer);
  if (!finished) console.warn(`[test infra] ${step} did not end within ${ms} ms; going on`);
  return finished;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
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
  await migrate(databaseUrl);
  const temporalPort = await freePort();
  const temporal = await startTemporalDevServer({ port: temporalPort });
  const outbox = await startOutbox({
    httpPort: 0,
    smtpPort: 0,
    accountSid: TEST_KEYS.TWILIO_ACCOUNT_SID,
    authToken: TEST_KEYS.TWILIO_AUTH_TOKEN,
  });
  // The sandbox acquirer decides quickly here: a test waits on the order's flow, not on a human pace.
  const channel = await startSandboxChannel({ port: 0, merchantId: TEST_KEYS.PAYMENT_CHANNEL_MERCHANT, key: TEST_KEYS.PAYMENT_CHANNEL_KEY, resultDelayMs: 50 });
  // The sandbox verification vendor (FaceID's protocol); tests switch its outage over HTTP (VERIFIER_URL/sandbox/…).
  const vendor = await startSandboxVendor({ port: 0, secretId: TEST_KEYS.VERIFIER_SECRET_ID, secretKey: TEST_KEYS.VERIFIER_SECRET_KEY });
  const config = parseConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    SMTP_PORT: String(outbox.smtpPort),
    TWILIO_API_BASE: outbox.httpUrl,
    OUTBOX_URL: outbox.httpUrl,
    PAYMENT_CHANNEL_URL: channel.url,
    SANDBOX_BANK_STATEMENT_URL: `${channel.url}/sandbox/statement`,
    VERIFIER_URL: vendor.url,
    // A vendor in trouble is seen at once in the tests (the retries' pauses are the adapter's own test).
    VERIFIER_RETRIES: '1',
    WEBHOOK_POLL_MS: '300',
    // Every test logs in from 127.0.0.1: the per-address limit has its own test (login-address-limit.test.ts).
    LOGIN_FAILURES_PER_ADDRESS: '1000000',
    WORKER_HTTP_PORT: '0',
    ...TEST_KEYS,
  });
  // Business failures (wrong code, cooldown) are logged by the worker as warnings: keep test output to errors.
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } },
  });
  const services = createServices(config);
  const worker = await createWorker(config, services);
  const running = worker.run();
  // As worker/main.ts does at start: the 5-minute 数据概览 schedule.
  const client = await connectTemporalClient(config);
  await ensureSchedules(client, config);
  await client.connection.close();
  return {
    config,
    services,
    outbox,
    channel,
    vendor,
    worker,
    async stop() {
      // Jest gives its global teardown no timeout: a step that never ends (an activity deaf to
      // cancellation, a server holding a connection) would keep the whole run from exiting, so each
      // step gets a bound, and the servers are killed whatever happened before.
      worker.shutdown();
      await bounded(
        'worker shutdown',
        running.catch(() => undefined),
        30_000,
      );
      await bounded('prisma disconnect', services.prisma.$disconnect(), 10_000);
      await bounded('outbox stop', outbox.stop(), 10_000);
      await bounded('sandbox channel stop', channel.stop(), 10_000);
      await bounded('sandbox vendor stop', vendor.stop(), 10_000);
      temporal.kill('SIGTERM');
      if (!(await bounded('Temporal dev server exit', exited(temporal), 15_000))) temporal.kill('SIGKILL');
      if (db) await bounded('PostgreSQL stop', db.stop(), 30_000);
    },
  };
}
