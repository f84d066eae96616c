import { type InjectedSinks, NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { Config } from '../lib/config';
import { workflowCompletions, workflowStarts } from '../lib/metrics';
import { dataConverter } from '../lib/payload-codec';
import type { Services } from '../lib/services';
import type { MetricsSinks } from '../workflows/metrics-interceptor';

/** Where the flow counters of workflows/metrics-interceptor.ts land (never called during replay). */
const sinks: InjectedSinks<MetricsSinks> = {
  flowMetrics: {
    started: { fn: (_info, flow) => workflowStarts.inc({ flow }), callDuringReplay: false },
    finished: { fn: (_info, flow, outcome) => workflowCompletions.inc({ flow, outcome }), callDuringReplay: false },
  },
};

/** Builds the worker that runs every workflow and activity of the product. */
export async function createWorker(config: Config, services: Services, connection?: NativeConnection): Promise<Worker> {
  return Worker.create({
    connection: connection ?? (await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS })),
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    // A bundle made ahead of time (worker/bundle.ts) when given; else bundled now.
    ...(process.env.WORKFLOW_BUNDLE
      ? { workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE } }
      : { workflowsPath: require.resolve('../workflows'), interceptors: { workflowModules: [require.resolve('../workflows/metrics-interceptor')] } }),
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    activities: createActivities(services),
    dataConverter: dataConverter(config.DATA_ENCRYPTION_KEY),
    sinks,
  });
}
