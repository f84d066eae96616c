/**
 * A workflow that returns or continues as new while an Update or signal handler is still
 * running (awaiting its activity) would cut that handler off: the caller would see the flow
 * end instead of its answer. `lettingHandlersFinish` wraps a workflow so it waits for them first.
 */
import { ContinueAsNew, allHandlersFinished, condition, patched } from '@temporalio/workflow';

/** Patched: runs started before this change returned at once, and must replay as they ran. */
export const WAIT_FOR_HANDLERS_PATCH = 'wait-for-handlers';

async function handlersFinished(): Promise<void> {
  if (patched(WAIT_FOR_HANDLERS_PATCH)) await condition(allHandlersFinished);
}

/**
 * The workflow `type`, waiting for its handlers. The function carries the type as its name,
 * which is what clients and executeChild() read when given the function.
 */
export function lettingHandlersFinish<A extends unknown[], R>(type: string, workflow: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  const named = {
    async [type](...args: A): Promise<R> {
      let result: R;
      try {
        result = await workflow(...args);
      } catch (err) {
        if (err instanceof ContinueAsNew) await handlersFinished();
        throw err;
      }
      await handlersFinished();
      return result;
    },
  };
  return named[type]!;
}
