/**
 * An order through the payment channel: sent once (the channel is idempotent by our order number),
 * then the channel's decision is awaited by querying it at growing intervals; SUCCESS books the
 * order, FAILED releases what it reserved. A channel that has not decided within
 * CHANNEL_DECISION_TIMEOUT is asked to close the transaction: it ends CLOSED (reservation
 * released) — or SUCCESS, when the channel had decided after all. A paid 担保支付 then waits for
 * its confirmation period (the application's days); whatever it still holds then (not confirmed nor
 * refunded by the platform meanwhile) is confirmed to the receiver. An order placed with a notify
 * URL has its result sent to the platform as soon as it is known, beside the confirmation period
 * (a platform that is down does not delay the confirmation).
 */
import { ActivityFailure, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { UNTIL_DONE } from '../retry-policies';
import { type PaymentOrderInput, type PaymentOrderOutcome, type PaymentOrderStatus, paymentOrderStatusQuery } from './messages';

/** How long the channel has to decide before the order is closed. */
export const CHANNEL_DECISION_TIMEOUT_MS = 30 * 60 * 1000;
/** Pauses between queries: quick at first (most transactions are decided within seconds), then every minute. */
export const QUERY_INTERVALS_MS = [1_000, 2_000, 3_000, 5_000, 10_000, 20_000, 30_000, 60_000];

const channel = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: UNTIL_DONE });
/** The platform's notify URL: tried at growing intervals (up to an hour apart) for a day; after that the platform queries. */
export const RESULT_CALLBACK_WINDOW = '24 hours';
const platform = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: RESULT_CALLBACK_WINDOW,
  retry: { initialInterval: '15 seconds', backoffCoefficient: 2, maximumInterval: '1 hour' },
});

export async function paymentOrder(input: PaymentOrderInput): Promise<PaymentOrderOutcome> {
  const status: PaymentOrderStatus = { channelStatus: 'NOT_SENT', queries: 0 };
  setHandler(paymentOrderStatusQuery, () => ({ ...status }));

  let answer = await channel.sendOrderToChannel(input);
  status.channelStatus = answer;
  let waited = 0;
  while (answer === 'PROCESSING' && waited < CHANNEL_DECISION_TIMEOUT_MS) {
    const pause = QUERY_INTERVALS_MS[Math.min(status.queries, QUERY_INTERVALS_MS.length - 1)]!;
    await sleep(pause);
    waited += pause;
    answer = await channel.queryOrderAtChannel(input);
    status.queries++;
    status.channelStatus = answer;
  }
  if (answer === 'PROCESSING') answer = await channel.closeOrderAtChannel(input);
  status.channelStatus = answer;
  // Orders placed before notify URLs existed lack the field and take the old path unchanged.
  const notified = input.notify
    ? platform.sendOrderResult({ orderId: input.orderId }).catch((err: unknown) => {
        // A day of refusals: the order's row says so (notifyError); the platform can still query it.
        if (!(err instanceof ActivityFailure)) throw err;
      })
    : null;
  if (answer === 'SUCCESS' && input.guarantee) {
    await sleep(input.guarantee.confirmWithinMs);
    await channel.confirmGuaranteeRemainder(input);
  }
  if (notified) await notified;
  return answer;
}
