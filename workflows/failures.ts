/**
 * Business failures inside workflows: raise one by its stable error id, and unwrap one from an activity.
 * Each flow raises only ids of its own prefix (and the shared ones): `failuresOf('import')` gives it a
 * `fail` the compiler checks, so a flow cannot answer with another flow's error.
 */
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { ErrorId } from '../domain/errors';

/** Ids every flow may raise: the console's actions (flow.*), request shape, and the review step. */
type SharedPrefix = 'flow' | 'request' | 'review';

export type FlowErrorId<P extends string> = Extract<ErrorId, `${P | SharedPrefix}.${string}`>;

function raise(type: ErrorId, message?: string): never {
  throw ApplicationFailure.create({ type, message: message ?? type, nonRetryable: true });
}

/** The `fail` of a flow whose own ids start with one of `prefixes`. */
export function failuresOf<P extends string>(...prefixes: P[]): (type: FlowErrorId<P>, message?: string) => never {
  void prefixes; // the prefixes matter to the compiler only
  return raise;
}

/** The `fail` of the shared pieces (review, flow state): shared ids only. */
export const fail = failuresOf<never>();

/** The business error inside an activity failure, so the caller sees e.g. `sms.code_wrong`. */
export function businessFailure(err: unknown): unknown {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) return err.cause;
  return err;
}
