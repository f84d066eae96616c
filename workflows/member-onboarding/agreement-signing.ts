/** 协议签约: the member signs the member agreement with the code sent to the bound phone; onboarding is complete. */
import { patched, setHandler } from '@temporalio/workflow';
import { MEMBER_ACTION_ONE_ACTIVITY_PATCH } from '../patches';
import { requestSigningCodeUpdate, signAgreementUpdate } from './messages';
import { type OnboardingRun, memberFacing } from './onboarding-run';

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
        return run.status();
      }),
    { validator: run.allowedIn('AGREEMENT_SIGNING') },
  );
}
