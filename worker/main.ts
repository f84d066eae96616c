/** Worker process: `tsx worker/main.ts`. Stops cleanly on SIGINT/SIGTERM. */
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { config } from '../lib/adapters/config';
import { pruneEndedCounts } from '../lib/adapters/counters';
import { reconcilePendingStarts } from '../lib/adapters/flow-starts';
import { ensureSchedules } from '../lib/adapters/schedules';
import { backfillPersonalData } from '../lib/business/personal-data';
import { createServices } from '../lib/services';
import { connectTemporalClient } from '../lib/adapters/temporal';
import { startWorkerHealthServer } from './health-server';
import { createWorker } from './worker';

/** How often the worker starts the flows whose start the API could not confirm. */
const PENDING_START_INTERVAL_MS = 15_000;

async function main() {
  const cfg = config();
  const quiet = cfg.LOG_LEVEL === 'error' || cfg.LOG_LEVEL === 'fatal' || cfg.LOG_LEVEL === 'silent';
  Runtime.install({ logger: new DefaultLogger(cfg.LOG_LEVEL === 'debug' ? 'DEBUG' : quiet ? 'ERROR' : 'WARN') });
  const services = createServices(cfg);
  const connection = await NativeConnection.connect({ address: cfg.TEMPORAL_ADDRESS });
  const worker = await createWorker(cfg, services, connection);
  // The 5-minute 数据概览 refresh; a worker that cannot reach Temporal fails here, as it would below.
  const client = await connectTemporalClient(cfg);
  await ensureSchedules(client, cfg);
  // Flows whose start the API could not confirm (lib/adapters/flow-starts.ts) are started from here.
  const reconciler = setInterval(() => {
    reconcilePendingStarts({ prisma: services.prisma, crypto: services.crypto, temporal: client }).catch((err: unknown) =>
      console.error('[worker] pending flow starts:', err),
    );
  }, PENDING_START_INTERVAL_MS);
  // Names written in plain text by earlier versions are masked and encrypted (once; a no-op afterwards).
  backfillPersonalData(services.prisma, services.crypto)
    .then(
      (done) => done.members + done.agreements > 0 && console.log(`[worker] personal data converted: ${done.members} members, ${done.agreements} agreements`),
    )
    .catch((err: unknown) => console.error('[worker] personal-data backfill:', err));
  // Rate-limit windows and SMS scope locks that ended are dropped once an hour.
  const pruner = setInterval(
    () => void pruneEndedCounts(services.prisma, services.clock.now()).catch((err: unknown) => console.error('[worker] pruning counters:', err)),
    3600 * 1000,
  );
  const health = await startWorkerHealthServer({ worker, connection, prisma: services.prisma, host: cfg.API_HOST, port: cfg.WORKER_HTTP_PORT });
  console.log(`[worker] polling task queue on ${cfg.TEMPORAL_ADDRESS}; health and metrics on http://${cfg.API_HOST}:${health.port}`);
  // The SDK installs SIGINT/SIGTERM handlers that shut the worker down gracefully.
  await worker.run();
  clearInterval(reconciler);
  clearInterval(pruner);
  await health.close();
  await client.connection.close();
  await connection.close();
  await services.prisma.$disconnect();
}

main().catch((err) => {
  console.error('[worker] fatal:', err);
  process.exit(1);
});
