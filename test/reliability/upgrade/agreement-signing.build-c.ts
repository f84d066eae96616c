/**
 * Build C of the upgrade drill: the same step changed without patched() — it waits a moment
 * before signing, a timer the histories recorded by builds A and B do not have. Rolled out, it
 * would break every flow that signed before it; the replay test refuses it first.
 */
import { setHandler, sleep } from '@temporalio/workflow';
import { requestSigningCodeUpdate, signAgreementUpdate } from '../../../workflows/member-onboarding/messages';
import { type OnboardingRun, memberFacing } from '../../../workflows/member-onboarding/onboarding-run';

export function agreementSigning(run: OnboardingRun): void {
  setHandler(requestSigningCodeUpdate, () => run.exclusive(() => run.sendSigningCode()), { validator: run.allowedIn('AGREEMENT_SIGNING') });

  setHandler(
    signAgreementUpdate,
    ({ code, client }) =>
      run.exclusive(async () => {
        await sleep('1 second');
        await memberFacing.signAgreement({ ...run.ctx, code, client: client ?? null });
        run.enter('COMPLETED', '协议签约完成，开户成功');
        return run.status();
      }),
    { validator: run.allowedIn('AGREEMENT_SIGNING') },
  );
}
