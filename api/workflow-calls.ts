/**
 * Calling workflows from use cases. Updates: bounded by a deadline (no
 * worker running → 503 instead of a hanging request), business failures
 * mapped back to their stable error ids.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import type { UpdateDefinition, Workflow } from '@temporalio/common';
import { BusinessError, type ErrorId } from '../domain/errors';
import { startFlowOnce } from '../lib/adapters/flow-starts';
import { BUSINESS_KEY } from '../workflows/search-attributes';
import type { Actor, AppDeps } from './context';
import { fromTemporal } from './errors';

export async function runUpdate<Ret, Arg>(deps: AppDeps, workflowId: string, update: UpdateDefinition<Ret, [Arg]>, arg: Arg, whenGone: ErrorId): Promise<Ret> {
  const deadline = Date.now() + (deps.updateTimeoutMs ?? 15_000);
  try {
    return await deps.temporal.withDeadline(deadline, () => deps.temporal.workflow.getHandle(workflowId).executeUpdate(update, { args: [arg] }));
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new BusinessError(whenGone);
    throw fromTemporal(err);
  }
}

/** A flow to start for rows just written: typed by the workflow, keyed by business. */
export interface FlowStartRequest<W extends Workflow> {
  workflowId: string;
  args: Parameters<W>;
  /** The BusinessKey search attribute: what an operator searches the flow by. */
  businessKey: string;
  /** What the flow is, in the user's words (the 503 says "<what>启动失败"). */
  what: string;
  /** Removes the rows again when Temporal refused the start (audit rows stay: the refusal is audited beside them). */
  undo?: () => Promise<unknown>;
  searchAttributes?: { key: { name: string; type: string }; value: string }[];
}

/**
 * Starts a workflow after the rows it works on were written (lib/adapters/flow-starts.ts has the rule):
 * started or already running → done; refused by Temporal → the rows are undone and the user gets
 * a 503 to retry; no answer → the rows stay and the worker's reconciler starts the flow later.
 */
export async function startFlow<W extends Workflow>(deps: AppDeps, actor: Actor | null, workflow: W, req: FlowStartRequest<W>): Promise<void> {
  const { prisma, crypto } = deps.services;
  const outcome = await startFlowOnce(
    { prisma, crypto, temporal: deps.temporal, log: (message, err) => console.error(`[api] ${message}:`, err), retryDelaysMs: deps.startRetryDelaysMs },
    {
      workflowType: workflow.name,
      workflowId: req.workflowId,
      what: req.what,
      options: {
        taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
        args: req.args,
        typedSearchAttributes: [{ key: BUSINESS_KEY, value: req.businessKey }, ...(req.searchAttributes ?? [])],
        // Every id started here is derived from rows just written: it runs once, and a retried start
        // of a flow that already finished must not run it again.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      },
    },
  );
  if (outcome !== 'REFUSED') return;
  await req.undo?.();
  await prisma.auditLog.create({
    data: {
      actorId: actor?.userId ?? null,
      actorRole: actor?.role ?? 'SYSTEM',
      action: 'flow.start_refused',
      target: `workflow:${req.workflowId}`,
      detail: { what: req.what },
    },
  });
  throw new BusinessError('service.unavailable', `${req.what}启动失败，请稍后重试`);
}
