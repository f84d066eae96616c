/** Business failures inside workflows: raise one by its stable error id, and unwrap one from an activity. */
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

export function fail(type: string, message?: string): never {
  throw ApplicationFailure.create({ type, message: message ?? type, nonRetryable: true });
}

/** The business error inside an activity failure, so the caller sees e.g. `sms.code_wrong`. */
export function businessFailure(err: unknown): unknown {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) return err.cause;
  return err;
}
