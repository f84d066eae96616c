/**
 * 信息采集: the member enters (or, in proxy mode, confirms) the information, step by step.
 * Individuals pass bank-card four-element verification; enterprises give company, legal
 * representative and licences, company and representative passing 企业四要素 together. The last
 * step moves the flow to phone binding.
 */
import { ActivityFailure, ApplicationFailure, patched, setHandler } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { StepContext } from '../../activities/db/member-onboarding';
import { COMPANY_REOPENED_NOTE, type InformationStep, STEP_DONE_NOTES, nextInformationStep, refusalReopensCompany } from '../../domain/onboarding';
import {
  type OnboardingStatus,
  confirmUpdate,
  linkRotatedSignal,
  submitCompanyUpdate,
  submitLegalRepresentativeUpdate,
  submitLicencesUpdate,
  submitRealNameUpdate,
} from './messages';
import {
  ENTERPRISE_VERIFICATION_PATCH,
  ENTERPRISE_WAITS_FOR_VENDOR_PATCH,
  MEMBER_ACTION_ONE_ACTIVITY_PATCH,
  REAL_NAME_WAITS_FOR_VENDOR_PATCH,
} from '../patches';
import { type OnboardingRun, type PreparedStage, askingOnce, memberFacing, notifications } from './onboarding-run';
import { vendorGaveNoVerdict, verifyProxyWhenTheVendorAnswers, waitForTheVendor } from './verification-wait';

/** The legal representative's step refused because the company did not match (activities/db/member-onboarding.ts). */
function reopensCompanyStep(err: unknown): boolean {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (!(cause instanceof ApplicationFailure) || cause.type !== 'verification.enterprise_failed') return false;
  const details = cause.details?.[0] as { step?: string } | undefined;
  return details?.step === 'COMPANY';
}

export function collectInformation(run: OnboardingRun): void {
  const completeStep = (step: InformationStep, prepared?: PreparedStage | null) => {
    run.stepsDone.push(step);
    const note = STEP_DONE_NOTES[step];
    if (nextInformationStep(run.input.memberType, run.stepsDone) === null) {
      if (prepared) prepared.enter(note);
      else run.enter('PHONE_BINDING', note);
    } else run.note(note);
  };
  const refused = (verdict: { reason: string; element: string | null }) =>
    ApplicationFailure.create({
      type: 'verification.failed',
      message: `银行卡四要素认证未通过：${verdict.reason}`,
      details: [{ element: verdict.element }],
      nonRetryable: true,
    });

  setHandler(
    submitRealNameUpdate,
    (data) =>
      run.exclusive(async () => {
        if (patched(MEMBER_ACTION_ONE_ACTIVITY_PATCH)) {
          // Verification, the member's data and the console's stage change: one local activity.
          const last = nextInformationStep(run.input.memberType, [...run.stepsDone, 'REAL_NAME']) === null;
          const prepared = last ? run.prepareStage('PHONE_BINDING') : null;
          if (patched(REAL_NAME_WAITS_FOR_VENDOR_PATCH)) {
            // One question to the vendor while the member waits; without a verdict, 认证中 and the flow asks on.
            let verdict;
            try {
              verdict = await askingOnce.submitRealName({ ...run.ctx, data, report: prepared?.report ?? null, retries: 0 });
            } catch (err) {
              if (!vendorGaveNoVerdict(err)) throw err;
              await waitForTheVendor(run, { step: 'REAL_NAME', data }, (next) => completeStep('REAL_NAME', next));
              return run.status();
            }
            if (!verdict.ok) throw refused(verdict);
            completeStep('REAL_NAME', prepared);
            return run.status();
          }
          const verdict = await memberFacing.submitRealName({ ...run.ctx, data, report: prepared?.report ?? null });
          if (!verdict.ok) throw refused(verdict);
          completeStep('REAL_NAME', prepared);
          return run.status();
        }
        const verdict = await memberFacing.verifyFourElements(data);
        if (!verdict.ok) throw refused(verdict);
        await memberFacing.saveRealName({ ...run.ctx, data });
        completeStep('REAL_NAME');
        return run.status();
      }),
    { validator: run.allowedIn('INFORMATION', 'REAL_NAME') },
  );

  /** An enterprise information step: store what was entered, then move on. */
  const storeStep =
    <T>(step: InformationStep, save: (req: StepContext & { data: T }) => Promise<void>) =>
    async (data: T): Promise<OnboardingStatus> => {
      try {
        await save({ ...run.ctx, data });
      } catch (err) {
        // 企业四要素 found the company wrong: its step is open again (the activity reopened it in the read model).
        if (reopensCompanyStep(err) && patched(ENTERPRISE_VERIFICATION_PATCH)) reopenCompany();
        throw err;
      }
      completeStep(step);
      return run.status();
    };
  const reopenCompany = () => {
    const company = run.stepsDone.indexOf('COMPANY');
    if (company >= 0) run.stepsDone.splice(company, 1);
    run.note(COMPANY_REOPENED_NOTE);
  };
  const informationStep = <T>(
    update: UpdateDefinition<OnboardingStatus, [T]>,
    step: InformationStep,
    save: (req: StepContext & { data: T }) => Promise<void>,
  ) => setHandler(update, (data: T) => run.exclusive(() => storeStep(step, save)(data)), { validator: run.allowedIn('INFORMATION', step) });
  informationStep(submitCompanyUpdate, 'COMPANY', memberFacing.saveCompany);
  informationStep(submitLicencesUpdate, 'LICENCES', memberFacing.saveLicences);

  // 法人信息: 企业四要素 of the company and this representative, 认证中 when the vendor gives no verdict.
  const storeLegalRepresentative = storeStep('LEGAL_REPRESENTATIVE', memberFacing.saveLegalRepresentative);
  setHandler(
    submitLegalRepresentativeUpdate,
    (data) =>
      run.exclusive(async () => {
        if (!patched(ENTERPRISE_WAITS_FOR_VENDOR_PATCH)) return storeLegalRepresentative(data);
        let verdict;
        try {
          verdict = await askingOnce.submitLegalRepresentative({ ...run.ctx, data, retries: 0 });
        } catch (err) {
          if (!vendorGaveNoVerdict(err)) throw err;
          await waitForTheVendor(run, { step: 'LEGAL_REPRESENTATIVE', data }, (next) => completeStep('LEGAL_REPRESENTATIVE', next));
          return run.status();
        }
        if (!verdict.ok) {
          const step = refusalReopensCompany(verdict.element) ? 'COMPANY' : 'LEGAL_REPRESENTATIVE';
          if (step === 'COMPANY') reopenCompany();
          throw ApplicationFailure.create({
            type: 'verification.enterprise_failed',
            message: `企业信息核验未通过：${verdict.reason}`,
            details: [{ element: verdict.element, step }],
            nonRetryable: true,
          });
        }
        completeStep('LEGAL_REPRESENTATIVE');
        return run.status();
      }),
    { validator: run.allowedIn('INFORMATION', 'LEGAL_REPRESENTATIVE') },
  );
}

/**
 * 平台代开户: the platform entered the information, the member confirms it through the link in an
 * SMS. Confirming sends the phone-binding code to the phone on file at once.
 */
export function confirmProxyInformation(run: OnboardingRun): void {
  setHandler(
    confirmUpdate,
    () =>
      run.exclusive(async () => {
        await memberFacing.confirmProxyOnboarding(run.ctx);
        run.enter('PHONE_BINDING', '会员已确认开户信息，进入手机绑定');
        // If the SMS provider is down the member asks again on the next page.
        try {
          await run.sendPhoneBindingCode({ source: 'ON_FILE' });
        } catch {
          run.phoneCodeSentTo = null;
        }
        return run.status();
      }),
    { validator: run.allowedIn('CONFIRMATION') },
  );
}

/**
 * The confirmation SMS carries a link derived from the session and its link version, so the token
 * itself never enters this history. A rotated link is sent again while the member has not confirmed.
 */
export function sendProxyConfirmation(run: OnboardingRun): void {
  const send = (version: number) => {
    void notifications.sendProxyConfirmation({ ...run.ctx, version }).catch(() => undefined);
  };
  // 认证中: the SMS goes once the vendor verified what the platform entered (with the link as it is then).
  const { pendingRealName, pendingEnterprise } = run.input;
  if (pendingRealName) verifyProxyWhenTheVendorAnswers(run, { kind: 'CARD', data: pendingRealName }, () => send(run.linkVersion));
  else if (pendingEnterprise) verifyProxyWhenTheVendorAnswers(run, { kind: 'ENTERPRISE', data: pendingEnterprise }, () => send(run.linkVersion));
  else if (run.proxy) send(1);
  setHandler(linkRotatedSignal, ({ version }) => {
    run.linkVersion = version;
    if (run.proxy && run.stage === 'CONFIRMATION' && run.verificationPendingSince === null) send(version);
  });
}
