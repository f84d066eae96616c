/**
 * Long-lived flows start a fresh run before their history grows without bound. Each flow says
 * when (a number of units of work per run, or a history length); the hand-over is the same for all:
 * the console's last report is written first, so the fresh run never shows an older stage.
 */
import { continueAsNew, workflowInfo } from '@temporalio/workflow';
import type { Workflow } from '@temporalio/common';
import type { FlowState } from './flow-state';

/** Continues `workflow` as a fresh run with `args`, once the flow's reports are written. */
export async function continueFresh<F extends Workflow>(flow: FlowState, ...args: Parameters<F>): Promise<never> {
  await flow.flushed();
  return continueAsNew<F>(...args);
}

/** True once this run's history holds more than `events` events (or, with `orSuggested`, when the server suggests a fresh run). */
export function historyLongerThan(events: number, opts: { orSuggested?: boolean } = {}): boolean {
  const info = workflowInfo();
  return (opts.orSuggested === true && info.continueAsNewSuggested) || info.historyLength > events;
}

/** A budget of units of work (chunks, months) per run: `spent()` once `used` reaches `perRun`. */
export function runBudget(perRun: number) {
  let used = 0;
  return {
    use(units = 1) {
      used += units;
    },
    spent: () => used >= perRun,
  };
}
