/**
 * The operator's 取消 (SPEC "Operating the flows"), the same in every flow: refused as finished once
 * accepted, refused by the flow's own rule (`refusal`) otherwise; an accepted cancellation only
 * records the reason, and the flow ends at its next safe point by reading `reason()`.
 */
import { setHandler } from '@temporalio/workflow';
import { type Refusal, refuse } from './failures';
import { type OperatorAnswer, type OperatorRequest, cancelFlowUpdate } from './operator-messages';

export interface Cancellation {
  /** The accepted reason, or null while nobody cancelled the flow. */
  reason(): string | null;
  /** Records a cancellation that arrived another way (e.g. the member's own cancel signal). */
  record(reason: string): void;
}

export function cancellation(refusal: () => Refusal, answer: () => OperatorAnswer): Cancellation {
  let reason: string | null = null;
  setHandler(
    cancelFlowUpdate,
    (req: OperatorRequest) => {
      reason = req.reason;
      return answer();
    },
    { validator: refuse((_req: OperatorRequest) => (reason !== null ? 'flow.finished' : refusal())) },
  );
  return {
    reason: () => reason,
    record(r) {
      reason = r;
    },
  };
}
