/** 协议签约: the member signs the member agreement with the code sent to the bound phone; onboarding is complete. */
import { setHandler } from '@temporalio/workflow';
import { requestSigningCodeUpdate, signAgreementUpdate } from './messages';
import { type OnboardingRun, memberFacing } from './onboarding-run';

export function agreementSigning(run: OnboardingRun): void {
  setHandler(requestSigningCodeUpdate, () => run.exclusive(() => run.sendSigningCode()), { validator: run.allowedIn('AGREEMENT_SIGNING') });

  setHandler(
    signAgreementUpdate,
    ({ code, client }) =>
      run.exclusive(async () => {
        await memberFacing.signAgreement({ ...run.ctx, code, client: client ?? null });
        run.enter('COMPLETED', '协议签约完成，开户成功');
        return run.status();
      }),
    { validator: run.allowedIn('AGREEMENT_SIGNING') },
  );
}
