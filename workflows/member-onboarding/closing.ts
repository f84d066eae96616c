/**
 * The end of an onboarding: a reminder 24 hours before the deadline (which an extension may
 * move), then completed, cancelled or expired, each told to the member and written to the read model.
 */
import { allHandlersFinished, condition, patched, workflowInfo } from '@temporalio/workflow';
import { reminderAt } from '../../domain/validity';
import { REMINDER_RULE_PATCH } from '../patches';
import { untilDoneOrDeadline } from '../deadlines';
import type { OnboardingOutcome } from './messages';
import { DAY, type OnboardingRun, notifications } from './onboarding-run';

/** 到期提醒: once, 24 hours before the deadline. Runs beside the main wait. */
export async function remindBeforeDeadline(run: OnboardingRun): Promise<void> {
  const { startTime } = workflowInfo();
  // The reminder rule (domain/validity.ts); runs started before it remind at deadline − 24 h.
  // Held while the 实名信息 waits for the vendor (the same as the deadline otherwise).
  const deadline = () => run.effectiveDeadline();
  const remindAt = patched(REMINDER_RULE_PATCH) ? () => reminderAt(startTime.getTime(), deadline()) : () => deadline() - DAY;
  if (remindAt() === null) return;
  if (await untilDoneOrDeadline(run.over, () => remindAt() ?? deadline(), { skipWhenPast: true })) return;
  if (run.over() || Date.now() >= deadline()) return;
  try {
    run.reminderSentTo = (await notifications.sendOnboardingReminder({ ...run.ctx, key: `${workflowInfo().workflowId}:reminder` })).sentTo;
    if (run.reminderSentTo) run.note(`已向${run.reminderSentTo}发送到期提醒短信`);
  } catch {
    // A reminder that cannot be sent does not hold the onboarding back.
  }
}

/** Closes the onboarding once the wait is over; an action that began before the deadline is allowed to finish. */
export async function closeOnboarding(run: OnboardingRun, reminder: Promise<void>): Promise<OnboardingOutcome> {
  run.closing = true;
  await condition(allHandlersFinished);
  await reminder;

  let outcome: OnboardingOutcome;
  const cancelReason = run.cancel.reason();
  if (run.stage === 'COMPLETED') {
    await run.flow.step('notifyOnboardingCompleted', () => notifications.notifyOnboardingCompleted(run.ctx));
    outcome = 'COMPLETED';
  } else if (cancelReason !== null) {
    run.enter('CANCELLED', `已取消：${cancelReason}`);
    await run.flow.step('closeOnboarding', () => notifications.closeOnboarding({ ...run.ctx, stage: 'CANCELLED', note: `已取消：${cancelReason}` }));
    outcome = 'CANCELLED';
  } else {
    run.enter('EXPIRED', '开户链接已超过有效期');
    await run.flow.step('closeOnboarding', () => notifications.closeOnboarding({ ...run.ctx, stage: 'EXPIRED', note: '开户链接已超过有效期' }));
    outcome = 'EXPIRED';
  }
  await run.flow.report(run.consoleStage());
  return outcome;
}
