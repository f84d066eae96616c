/** Messages of an application's member event delivery (webhook) workflow. */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import { workflowRef } from '../workflow-ref';
import type { memberEventDelivery as workflow } from './workflow';

export interface MemberEventDeliveryInput {
  applicationId: string;
  /** How long to wait for new events when nobody signals. */
  pollMs: number;
}

export interface MemberEventDeliveryStatus {
  delivered: number;
  lastEventId: string | null;
  stage: 'IDLE' | 'DELIVERING' | 'STOPPED';
}

/** New events (or a replay) are waiting: look now instead of at the next poll. */
export const wakeSignal = defineSignal('wake');
export const memberEventDeliveryStatusQuery = defineQuery<MemberEventDeliveryStatus>('status');

/** The workflow as the API starts it (typed by the workflow, without loading its code). */
export const memberEventDeliveryWorkflow = workflowRef<typeof workflow>('memberEventDelivery');
