/**
 * Member onboarding (SPEC F1 自主开户 and F2 平台代开户): information collection →
 * phone binding → agreement signing, each stage interruptible, the whole link
 * valid 7 days. In proxy mode the platform entered the information: the member
 * gets a confirmation SMS with the link and starts at confirmation instead.
 * Every member action arrives as an Update so the member's page gets an immediate
 * yes/no; the database read model is written by the activities at every step.
 */
import { untilDoneOrDeadline } from '../deadlines';
import { agreementSigning } from './agreement-signing';
import { closeOnboarding, remindBeforeDeadline } from './closing';
import { collectInformation, confirmProxyInformation, sendProxyConfirmation } from './information';
import type { MemberOnboardingInput, OnboardingOutcome } from './messages';
import { OnboardingRun } from './onboarding-run';
import { handleOperatorActions } from './operator-actions';
import { phoneBinding } from './phone-binding';

export async function memberOnboarding(input: MemberOnboardingInput): Promise<OnboardingOutcome> {
  const run = new OnboardingRun(input);
  collectInformation(run);
  confirmProxyInformation(run);
  phoneBinding(run);
  agreementSigning(run);
  sendProxyConfirmation(run);
  handleOperatorActions(run);

  const reminder = remindBeforeDeadline(run);
  // Sleep until the deadline; an extension moves it, completion or cancellation ends it.
  await untilDoneOrDeadline(run.over, () => run.effectiveDeadline());
  return closeOnboarding(run, reminder);
}
