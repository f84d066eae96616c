import fs from 'node:fs';
import path from 'node:path';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { Config } from '../lib/adapters/config';
import { dataConverter } from '../lib/adapters/payload-codec';
import type { Services } from '../lib/services';
import { WORKFLOWS_PATH, WORKFLOW_INTERCEPTOR_MODULES, workflowSinks } from './workflow-code';

/** The bundle `npm run build` makes beside the compiled worker (dist/workflow-bundle.js); compiled code loads it. */
const PREBUILT_BUNDLE = __filename.endsWith('.js') ? path.join(__dirname, '..', 'workflow-bundle.js') : null;

export function workflowBundlePath(): string | null {
  if (process.env.WORKFLOW_BUNDLE) return process.env.WORKFLOW_BUNDLE;
  return PREBUILT_BUNDLE && fs.existsSync(PREBUILT_BUNDLE) ? PREBUILT_BUNDLE : null;
}

/** Builds the worker that runs every workflow and activity of the product. */
export async function createWorker(config: Config, services: Services, connection?: NativeConnection): Promise<Worker> {
  const bundle = workflowBundlePath();
  return Worker.create({
    connection: connection ?? (await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS })),
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    // A bundle made ahead of time (worker/bundle.ts, `npm run build`) when there is one; else bundled now.
    ...(bundle ? { workflowBundle: { codePath: bundle } } : { workflowsPath: WORKFLOWS_PATH, interceptors: { workflowModules: WORKFLOW_INTERCEPTOR_MODULES } }),
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    activities: createActivities(services),
    dataConverter: dataConverter(config.DATA_ENCRYPTION_KEY),
    sinks: workflowSinks,
  });
}
