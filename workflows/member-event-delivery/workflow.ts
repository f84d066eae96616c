/**
 * Delivery of an application's member events to its webhook (one workflow per
 * application). Events go out in id order, each signed with the application's
 * key; a failing endpoint is retried with backoff for as long as it fails (the
 * delivery log and the operator console show every attempt), and later events
 * wait behind it so order is kept. A replay moves the cursor back in the
 * database and wakes this workflow. Ends when the webhook is switched off.
 */
import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import { continueFresh, historyLongerThan } from '../continue-as-new';
import { lettingHandlersFinish } from '../handlers';
import type { Activities } from '../../activities';
import { flowState } from '../flow-state';
import { type MemberEventDeliveryInput, type MemberEventDeliveryStatus, memberEventDeliveryStatusQuery, wakeSignal } from './messages';

const delivery = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '30 seconds',
  // Unlimited attempts: an endpoint that is down gets its events when it is back.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

const LABELS: Record<MemberEventDeliveryStatus['stage'], string> = { IDLE: '等待新事件', DELIVERING: '推送中', STOPPED: '已停用' };

/** Waits for running handlers before it returns or continues as new. */
export const memberEventDelivery = lettingHandlersFinish('memberEventDelivery', memberEventDeliveryFlow);

async function memberEventDeliveryFlow(input: MemberEventDeliveryInput): Promise<'STOPPED'> {
  let woken = false;
  const status: MemberEventDeliveryStatus = { delivered: 0, lastEventId: null, stage: 'IDLE' };
  setHandler(wakeSignal, () => void (woken = true));
  setHandler(memberEventDeliveryStatusQuery, () => ({ ...status }));
  const flow = flowState(
    { flow: 'member-event-delivery', applicationId: input.applicationId },
    { stage: 'IDLE', stageLabel: LABELS.IDLE, waitingFor: 'SYSTEM' },
  );
  const enter = (stage: MemberEventDeliveryStatus['stage']) => {
    if (status.stage === stage) return;
    status.stage = stage;
    void flow.report({ stage, stageLabel: LABELS[stage], waitingFor: stage === 'STOPPED' ? 'NOBODY' : 'SYSTEM', closed: stage === 'STOPPED' });
  };

  for (;;) {
    woken = false;
    const batch = await delivery.deliverMemberEvents({ applicationId: input.applicationId });
    if (batch.stopped) {
      enter('STOPPED');
      await flow.flushed();
      return 'STOPPED';
    }
    status.delivered += batch.delivered;
    status.lastEventId = batch.lastEventId ?? status.lastEventId;
    if (batch.more) {
      enter('DELIVERING');
      continue;
    }
    enter('IDLE');
    await condition(() => woken, input.pollMs);
    if (historyLongerThan(5_000, { orSuggested: true })) await continueFresh<typeof memberEventDelivery>(flow, input);
  }
}
