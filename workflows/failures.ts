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

/** Why a handler refuses now: an error id, an id with its message, or nothing (false/null) when it accepts. */
export type Refusal<P extends string = never> = FlowErrorId<P> | readonly [FlowErrorId<P>, string] | false | null | undefined;

/**
 * Handler validators of a flow written as one rule each: `refuse(() => stage !== 'OPEN' && 'import.window_closed')`.
 * The validator throws the business failure the rule names and accepts when it names none.
 */
export function refusalsOf<P extends string>(...prefixes: P[]) {
  void prefixes;
  // The validator takes whatever the handler receives; a rule that reads the arguments annotates them.
  return <Args extends unknown[]>(why: (...args: Args) => Refusal<P>) =>
    (...args: unknown[]): void => {
      const refusal = why(...(args as Args));
      if (!refusal) return;
      if (typeof refusal === 'string') raise(refusal);
      raise(refusal[0], refusal[1]);
    };
}

/** Validators of the shared pieces: shared ids only. */
export const refuse = refusalsOf<never>();

/** The business error inside an activity failure, so the caller sees e.g. `sms.code_wrong`. */
export function businessFailure(err: unknown): unknown {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) return err.cause;
  return err;
}
