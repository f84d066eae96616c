/** The workflow code the worker runs, as the worker, the ahead-of-time bundle and the replay test all load it. */
import type { InjectedSinks } from '@temporalio/worker';
import { workflowCompletions, workflowStarts } from '../lib/adapters/metrics';
import type { MetricsSinks } from '../workflows/metrics-interceptor';

export const WORKFLOWS_PATH = require.resolve('../workflows');
export const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('../workflows/metrics-interceptor')];

/** Where the flow counters of workflows/metrics-interceptor.ts land (never called during replay). */
export const workflowSinks: InjectedSinks<MetricsSinks> = {
  flowMetrics: {
    started: { fn: (_info, flow) => workflowStarts.inc({ flow }), callDuringReplay: false },
    finished: { fn: (_info, flow, outcome) => workflowCompletions.inc({ flow, outcome }), callDuringReplay: false },
  },
};
