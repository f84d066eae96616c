/** Worker process: `tsx worker/main.ts`. Stops cleanly on SIGINT/SIGTERM. */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { config } from '../lib/config';
import { createServices } from '../lib/services';
import { createWorker } from './worker';

async function main() {
  const cfg = config();
  Runtime.install({ logger: new DefaultLogger(cfg.LOG_LEVEL === 'debug' ? 'DEBUG' : 'WARN') });
  const services = createServices(cfg);
  const worker = await createWorker(cfg, services);
  console.log(`[worker] polling task queue on ${cfg.TEMPORAL_ADDRESS}`);
  // The SDK installs SIGINT/SIGTERM handlers that shut the worker down gracefully.
  await worker.run();
  await services.prisma.$disconnect();
}

main().catch((err) => {
  console.error('[worker] fatal:', err);
  process.exit(1);
});
