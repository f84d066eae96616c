/** Messages of an order's flow through the payment channel (SPEC F6 订单). */
import { defineQuery } from '@temporalio/workflow';
import { workflowRef } from '../workflow-ref';
import type { paymentOrder as workflow } from './workflow';

export interface PaymentOrderInput {
  orderId: string;
  orderNo: string;
  applicationId: string;
  /** A 担保支付: once paid, what it still holds is confirmed to the receiver after this long. */
  guarantee?: { confirmWithinMs: number };
  /** Placed with a notify URL (open API): the result goes to the platform, signed and retried, once known. */
  notify?: boolean;
}

export type PaymentOrderOutcome = 'SUCCESS' | 'FAILED' | 'CLOSED';

export interface PaymentOrderStatus {
  /** What the flow last learnt from the channel. */
  channelStatus: 'NOT_SENT' | 'PROCESSING' | PaymentOrderOutcome;
  queries: number;
}

export const paymentOrderStatusQuery = defineQuery<PaymentOrderStatus>('status');

/** The workflow as the API starts it (typed by the workflow, without loading its code). */
export const paymentOrderWorkflow = workflowRef<typeof workflow>('paymentOrder');
