/**
 * 手机绑定: the member asks for a code (to the phone on file or an authorised one) and binds the
 * phone with it. Binding moves the flow to signing and sends the signing code by itself.
 */
import { patched, setHandler } from '@temporalio/workflow';
import { MEMBER_ACTION_ONE_ACTIVITY_PATCH } from '../patches';
import { bindPhoneUpdate, requestPhoneCodeUpdate } from './messages';
import { type OnboardingRun, memberFacing } from './onboarding-run';

export function phoneBinding(run: OnboardingRun): void {
  setHandler(
    requestPhoneCodeUpdate,
    (choice) =>
      run.exclusive(async () => {
        const sent = await run.sendPhoneBindingCode(choice);
        run.phoneChoice = choice;
        return { sentTo: sent.sentTo, sentAt: sent.sentAt };
      }),
    { validator: run.allowedIn('PHONE_BINDING') },
  );

  setHandler(
    bindPhoneUpdate,
    ({ code }) =>
      run.exclusive(async () => {
        const note = `手机号${run.phoneCodeSentTo ?? ''}绑定成功，进入协议签约`;
        if (patched(MEMBER_ACTION_ONE_ACTIVITY_PATCH)) {
          // The binding writes the console's stage change itself.
          const prepared = run.prepareStage('AGREEMENT_SIGNING');
          await memberFacing.bindPhone({ ...run.ctx, code, report: prepared.report });
          prepared.enter(note);
        } else {
          await memberFacing.bindPhone({ ...run.ctx, code });
          run.enter('AGREEMENT_SIGNING', note);
        }
        // If the SMS provider is down the member can ask again ("重新获取").
        try {
          await run.sendSigningCode();
        } catch {
          run.signingCodeSentTo = null;
        }
        return run.status();
      }),
    { validator: run.allowedIn('PHONE_BINDING') },
  );
}
