/**
 * Build B of the upgrade drill: workflows/member-onboarding/agreement-signing.ts as it is, with one
 * change made as the README's versioning rule says — behind patched(), so flows started on build A
 * replay their recorded past and take the new path from here on. (Keep it the current file plus
 * the marked line.)
 */
import { patched, setHandler } from '@temporalio/workflow';
import { MEMBER_ACTION_ONE_ACTIVITY_PATCH } from '../../../workflows/patches';
import { requestSigningCodeUpdate, signAgreementUpdate } from '../../../workflows/member-onboarding/messages';
import { type OnboardingRun, memberFacing } from '../../../workflows/member-onboarding/onboarding-run';

export const DRILL_NOTE = '升级演练：B 版本签约';

export function agreementSigning(run: OnboardingRun): void {
  setHandler(requestSigningCodeUpdate, () => run.exclusive(() => run.sendSigningCode()), { validator: run.allowedIn('AGREEMENT_SIGNING') });

  setHandler(
    signAgreementUpdate,
    ({ code, client }) =>
      run.exclusive(async () => {
        if (patched(MEMBER_ACTION_ONE_ACTIVITY_PATCH)) {
          // The signature writes the console's stage change itself.
          const prepared = run.prepareStage('COMPLETED');
          await memberFacing.signAgreement({ ...run.ctx, code, client: client ?? null, report: prepared.report });
          prepared.enter('协议签约完成，开户成功');
        } else {
          await memberFacing.signAgreement({ ...run.ctx, code, client: client ?? null });
          run.enter('COMPLETED', '协议签约完成，开户成功');
        }
        if (patched('upgrade-drill')) run.note(DRILL_NOTE); // the drill's change
        return run.status();
      }),
    { validator: run.allowedIn('AGREEMENT_SIGNING') },
  );
}
