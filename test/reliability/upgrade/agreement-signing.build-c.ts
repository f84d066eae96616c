/**
 * Build C of the upgrade drill: the same file changed without patched() — it waits a moment before
 * signing, a timer the histories recorded by builds A and B do not have. Rolled out, it would break
 * every flow that signed before it; the replay test refuses it first. (Keep it the current file
 * plus the marked line.)
 */
import { patched, setHandler, sleep } from '@temporalio/workflow';
import { MEMBER_ACTION_ONE_ACTIVITY_PATCH } from '../../../workflows/patches';
import { requestSigningCodeUpdate, signAgreementUpdate } from '../../../workflows/member-onboarding/messages';
import { type OnboardingRun, memberFacing } from '../../../workflows/member-onboarding/onboarding-run';

export function agreementSigning(run: OnboardingRun): void {
  setHandler(requestSigningCodeUpdate, () => run.exclusive(() => run.sendSigningCode()), { validator: run.allowedIn('AGREEMENT_SIGNING') });

  setHandler(
    signAgreementUpdate,
    ({ code, client }) =>
      run.exclusive(async () => {
        await sleep('1 second'); // the drill's change, without patched()
        if (patched(MEMBER_ACTION_ONE_ACTIVITY_PATCH)) {
          // The signature writes the console's stage change itself.
          const prepared = run.prepareStage('COMPLETED');
          await memberFacing.signAgreement({ ...run.ctx, code, client: client ?? null, report: prepared.report });
          prepared.enter('协议签约完成，开户成功');
        } else {
          await memberFacing.signAgreement({ ...run.ctx, code, client: client ?? null });
          run.enter('COMPLETED', '协议签约完成，开户成功');
        }
        return run.status();
      }),
    { validator: run.allowedIn('AGREEMENT_SIGNING') },
  );
}
