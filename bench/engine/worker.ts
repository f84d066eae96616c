/**
 * The bare engine's worker, a process of its own like the product's worker:
 *   node --import tsx bench/engine/worker.ts <temporal address> <task queue>
 * Prints "ready" once polling; SIGTERM stops it.
 */
import path from 'node:path';
import { NativeConnection, Runtime, DefaultLogger, Worker, bundleWorkflowCode } from '@temporalio/worker';
import * as activities from './activities';

async function main() {
  const [address, taskQueue] = process.argv.slice(2);
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: path.join(__dirname, 'workflows.ts'),
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error } as never,
  });
  const worker = await Worker.create({
    connection: await NativeConnection.connect({ address: address! }),
    taskQueue: taskQueue!,
    workflowBundle,
    activities,
  });
  process.on('SIGTERM', () => worker.shutdown());
  const running = worker.run();
  console.log('ready');
  await running;
  process.exit(0);
}

main().catch((err) => {
  console.error('[bare engine worker]', err);
  process.exit(1);
});
