/**
 * What an operator can ask of any flow (SPEC "Operating the flows"). Each is
 * an Update so the console gets an immediate yes/no from the workflow's own
 * validator; the API audits every accepted action with its reason.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';

export interface OperatorRequest {
  operatorId: string;
  reason: string;
}

export interface OperatorAnswer {
  stage: string;
}

/** 取消: the flow ends at its next safe point with the reason. */
export const cancelFlowUpdate = defineUpdate<OperatorAnswer, [OperatorRequest]>('cancelFlow');

/** 重试: a step that failed for good runs again. */
export const retryStepUpdate = defineUpdate<OperatorAnswer, [OperatorRequest]>('retryStep');

/** 延期: the flow's deadline moves by `days` (each flow enforces its own maximum). */
export const extendDeadlineUpdate = defineUpdate<OperatorAnswer & { deadline: string }, [OperatorRequest & { days: number }]>('extendDeadline');

/** 重发短信: the SMS the member is expected to act on goes out again. */
export const resendSmsUpdate = defineUpdate<OperatorAnswer & { sentTo: string | null }, [OperatorRequest]>('resendSms');

/** Every flow answers a `status` query with its own live state; the console shows it as it is. */
export const flowStatusQuery = defineQuery<Record<string, unknown>>('status');
