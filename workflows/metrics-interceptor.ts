/**
 * Counts workflow starts and completions per flow for Prometheus. Workflows
 * cannot do I/O, so the counts leave through a sink (worker/worker.ts), which
 * is not called during replay: each start and each end is counted once.
 */
import { ContinueAsNew, type Sinks, type WorkflowInterceptorsFactory, isCancellation, proxySinks, workflowInfo } from '@temporalio/workflow';

export interface MetricsSinks extends Sinks {
  flowMetrics: {
    started(flow: string): void;
    finished(flow: string, outcome: 'completed' | 'failed' | 'cancelled'): void;
  };
}

const { flowMetrics } = proxySinks<MetricsSinks>();

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      async execute(input, next) {
        const info = workflowInfo();
        // A continued run is the same flow instance: counted when it first started.
        if (!info.continuedFromExecutionRunId) flowMetrics.started(info.workflowType);
        try {
          const result = await next(input);
          flowMetrics.finished(info.workflowType, 'completed');
          return result;
        } catch (err) {
          if (!(err instanceof ContinueAsNew)) flowMetrics.finished(info.workflowType, isCancellation(err) ? 'cancelled' : 'failed');
          throw err;
        }
      },
    },
  ],
});
