import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { Config } from '../lib/adapters/config';
import { dataConverter } from '../lib/adapters/payload-codec';
import type { Services } from '../lib/services';
import { WORKFLOWS_PATH, WORKFLOW_INTERCEPTOR_MODULES, workflowSinks } from './workflow-code';

/** Builds the worker that runs every workflow and activity of the product. */
export async function createWorker(config: Config, services: Services, connection?: NativeConnection): Promise<Worker> {
  return Worker.create({
    connection: connection ?? (await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS })),
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    // A bundle made ahead of time (worker/bundle.ts) when given; else bundled now.
    ...(process.env.WORKFLOW_BUNDLE
      ? { workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE } }
      : { workflowsPath: WORKFLOWS_PATH, interceptors: { workflowModules: WORKFLOW_INTERCEPTOR_MODULES } }),
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    activities: createActivities(services),
    dataConverter: dataConverter(config.DATA_ENCRYPTION_KEY),
    sinks: workflowSinks,
  });
}
