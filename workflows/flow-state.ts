/**
 * How a workflow shows itself in the operator console: it reports each stage
 * (who it waits for, until when) to the FlowInstance read model, and runs the
 * steps an operator may have to retry. Reports go out in order through one
 * local activity chain; `flushed()` is awaited before the workflow ends.
 */
import { ActivityFailure, ApplicationFailure, condition, proxyLocalActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { FlowStateReport } from '../activities/db/flow-states';
import type { FlowType, WaitingFor } from '../domain/flows';
import { fail } from './failures';
import { type OperatorRequest, retryStepUpdate } from './operator-messages';
import { BUSINESS_KEY } from './search-attributes';

const recorder = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  // No attempt limit: while Postgres is away the report waits, it is never dropped.
  retry: { initialInterval: '500 ms', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export interface FlowIdentity {
  flow: FlowType;
  /** Defaults to the BusinessKey search attribute the starter set, else the workflow id. */
  businessKey?: string;
  applicationId: string | null;
  memberId?: string | null;
}

export interface FlowStage {
  stage: string;
  stageLabel: string;
  waitingFor: WaitingFor;
  deadline?: string | null;
  closed?: boolean;
}

export interface FlowState {
  /** Reports a new stage (or a new deadline of the same stage). */
  report(stage: FlowStage): Promise<void>;
  /**
   * Runs a step; when it fails for good (retries exhausted, or a fault the
   * activity gave up on) the flow waits for an operator's 重试 and runs it again.
   * Business answers (non-retryable failures with an error id) are not faults and pass through.
   */
  step<T>(name: string, run: () => Promise<T>, opts?: { givesUpWhen?: () => boolean }): Promise<T | undefined>;
  /**
   * The report a stage change would send, for the activity of the action that makes the change to
   * write in its own transaction (one local activity instead of two). Nothing moves until `adopt`.
   */
  reportFor(next: FlowStage): FlowStateReport;
  /** The stage whose report an activity wrote (see reportFor): the state moves, nothing is sent. */
  adopt(next: FlowStage): void;
  /** Resolves once every report is written. */
  flushed(): Promise<void>;
  current(): FlowStage;
  stuck(): { step: string; error: string } | null;
}

/**
 * A flow's stages as the console shows them: each with its label and who it waits for; a stage that
 * waits for nobody is the end of the flow. Returns the console's view of a stage.
 */
export function consoleStages<S extends string>(table: Record<S, readonly [label: string, waitingFor: WaitingFor]>) {
  return (stage: S, opts: { deadline?: string | null; label?: string } = {}): FlowStage => {
    const [label, waitingFor] = table[stage];
    return { stage, stageLabel: opts.label ?? label, waitingFor, deadline: opts.deadline ?? null, closed: waitingFor === 'NOBODY' };
  };
}

function isBusinessAnswer(err: unknown): boolean {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure && cause.nonRetryable === true && !!cause.type && cause.type.includes('.') && !cause.type.startsWith('fault.');
}

function messageOf(err: unknown): string {
  const cause = err instanceof ActivityFailure && err.cause ? err.cause : err;
  return (cause instanceof Error ? cause.message : String(cause)).slice(0, 500);
}

export function flowState(identity: FlowIdentity, initial: FlowStage): FlowState {
  let state: FlowStage = initial;
  let stuck: { step: string; error: string } | null = null;
  let retryRequested = false;
  let counter = 0;
  let chain: Promise<void> = Promise.resolve();

  const reportOf = (of: FlowStage): FlowStateReport => {
    const info = workflowInfo();
    return {
      workflowId: info.workflowId,
      ...identity,
      businessKey: identity.businessKey ?? info.typedSearchAttributes.get(BUSINESS_KEY) ?? info.workflowId,
      memberId: identity.memberId ?? null,
      ...of,
      deadline: of.deadline ?? null,
      closed: of.closed ?? false,
      stuckStep: stuck,
      // Workflow time orders writes across runs; the counter orders writes within one millisecond.
      version: Date.now() * 1000 + (counter++ % 1000),
    };
  };

  const write = (): Promise<void> => {
    const report = reportOf(state);
    chain = chain.then(() => recorder.recordFlowState(report));
    return chain;
  };

  setHandler(
    retryStepUpdate,
    (_req: OperatorRequest) => {
      retryRequested = true;
      return { stage: state.stage };
    },
    { validator: (_req: OperatorRequest) => void (stuck === null && fail('flow.no_failed_step')) },
  );

  void write();
  return {
    report(next) {
      state = next;
      return write();
    },
    async step<T>(name: string, run: () => Promise<T>, opts?: { givesUpWhen?: () => boolean }): Promise<T | undefined> {
      for (;;) {
        try {
          return await run();
        } catch (err) {
          if (isBusinessAnswer(err)) throw err;
          stuck = { step: name, error: messageOf(err) };
          const before = state;
          state = { ...state, waitingFor: 'OPERATOR' };
          await write();
          await condition(() => retryRequested || (opts?.givesUpWhen?.() ?? false));
          const retrying = retryRequested;
          retryRequested = false;
          stuck = null;
          state = before;
          await write();
          if (!retrying) return undefined;
        }
      }
    },
    reportFor: (next) => reportOf(next),
    adopt(next) {
      state = next;
    },
    flushed: () => chain,
    current: () => state,
    stuck: () => stuck,
  };
}
