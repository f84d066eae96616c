/**
 * Calling workflows from use cases. Updates: bounded by a deadline (no
 * worker running → 503 instead of a hanging request), business failures
 * mapped back to their stable error ids.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { BusinessError, type ErrorId } from '../domain/errors';
import type { AppDeps } from './context';
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

/**
 * Starts a workflow after the rows it works on were written; if it cannot be
 * started, `undo` removes them again (nothing half-made) and the caller gets a 503.
 */
export async function startOrUndo(start: () => Promise<unknown>, undo: () => Promise<unknown>, what: string): Promise<void> {
  try {
    await start();
  } catch (err) {
    await undo();
    console.error(`[api] starting ${what} failed:`, err);
    throw new BusinessError('service.unavailable', `${what}启动失败，请稍后重试`);
  }
}
