/**
 * Build B of the upgrade drill: workflows/member-onboarding/agreement-signing.ts with a change
 * made as the README's versioning rule says — behind patched(), so flows started on build A
 * replay their recorded past and take the new path from here on.
 */
import { patched, setHandler } from '@temporalio/workflow';
import { requestSigningCodeUpdate, signAgreementUpdate } from '../../../workflows/member-onboarding/messages';
import { type OnboardingRun, memberFacing } from '../../../workflows/member-onboarding/onboarding-run';

export const DRILL_NOTE = '升级演练：B 版本签约';

export function agreementSigning(run: OnboardingRun): void {
  setHandler(requestSigningCodeUpdate, () => run.exclusive(() => run.sendSigningCode()), { validator: run.allowedIn('AGREEMENT_SIGNING') });

  setHandler(
    signAgreementUpdate,
    ({ code, client }) =>
      run.exclusive(async () => {
        await memberFacing.signAgreement({ ...run.ctx, code, client: client ?? null });
        if (patched('upgrade-drill')) run.note(DRILL_NOTE);
        run.enter('COMPLETED', '协议签约完成，开户成功');
        return run.status();
      }),
    { validator: run.allowedIn('AGREEMENT_SIGNING') },
  );
}
