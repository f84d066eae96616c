/**
 * 自动提现 (提现设置): a Temporal Schedule starts it every 10 minutes (lib/adapters/schedules.ts).
 * One run places the withdrawals of the members whose daily time has come (once per member and
 * day) and starts each one's payment flow as a child that outlives the run. A system job.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, proxyActivities, startChild } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { paymentOrder } from '../payment-order/workflow';
import { BUSINESS_KEY } from '../search-attributes';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 5 },
});

export async function autoWithdrawals(): Promise<{ started: number }> {
  const due = await acts.placeDueWithdrawals();
  let started = 0;
  for (const d of due) {
    try {
      await startChild(paymentOrder, {
        workflowId: d.workflowId,
        args: [{ orderId: d.orderId, orderNo: d.orderNo, applicationId: d.applicationId }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        // One flow per order, ever: a finished one is not run again by a later run.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: [{ key: BUSINESS_KEY, value: d.orderNo }],
      });
      started++;
    } catch (err) {
      // Started by an earlier run that stopped before it finished: it goes on by itself.
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
  return { started };
}
