/**
 * Member onboarding (SPEC F1 自主开户 and F2 平台代开户): information collection →
 * phone binding → agreement signing, each stage interruptible, the whole link
 * valid 7 days. In proxy mode the platform entered the information: the member
 * gets a confirmation SMS with the link and starts at confirmation instead.
 * Every member action arrives as an Update so the member's page gets an immediate
 * yes/no; the database read model is written by the activities at every step.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { businessFailure, fail } from '../failures';
import { ONBOARDING_STAGE } from '../search-attributes';
import type { UpdateDefinition } from '@temporalio/common';
import type { Activities } from '../../activities';
import type { StepContext } from '../../activities/db/onboarding-store';
import {
  INFORMATION_STEPS,
  type InformationStep,
  type OnboardingStage,
  STAGE_LABELS,
  STEP_DONE_NOTES,
  nextInformationStep,
} from '../../domain/onboarding';
import {
  type MemberOnboardingInput,
  type OnboardingOutcome,
  type OnboardingStatus,
  type StageChange,
  bindPhoneUpdate,
  cancelSignal,
  confirmUpdate,
  linkRotatedSignal,
  requestPhoneCodeUpdate,
  requestSigningCodeUpdate,
  signAgreementUpdate,
  statusQuery,
  submitCompanyUpdate,
  submitLegalRepresentativeUpdate,
  submitLicencesUpdate,
  submitRealNameUpdate,
} from './messages';

// Steps the member waits on run as local activities: short, and answered in the
// same workflow task, which keeps the member's page fast.
const memberFacing = proxyLocalActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry: { maximumAttempts: 3, initialInterval: '200 ms' },
});

// Notifications nobody waits on: retried patiently with backoff.
const notifications = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 20 },
});

export async function memberOnboarding(input: MemberOnboardingInput): Promise<OnboardingOutcome> {
  const { workflowId } = workflowInfo();
  const ctx = { workflowId, sessionId: input.sessionId, memberId: input.memberId };
  const proxy = input.mode === 'PROXY';
  let stage = (proxy ? 'CONFIRMATION' : 'INFORMATION') as OnboardingStage;
  const stepsDone: InformationStep[] = proxy ? [...INFORMATION_STEPS[input.memberType]] : [];
  const history: StageChange[] = [
    { stage, at: new Date().toISOString(), note: proxy ? '平台已代为录入开户信息，待会员确认' : '开户链接已生成' },
  ];
  let phoneCodeSentTo: string | null = null;
  let signingCodeSentTo: string | null = null;
  let codeRequests = 0;
  let busy = false;
  let closing = false;
  let cancelReason: string | null = null;

  const status = (): OnboardingStatus => ({
    stage,
    stepsDone: [...stepsDone],
    nextStep: stage === 'INFORMATION' ? nextInformationStep(input.memberType, stepsDone) : null,
    waitingFor: closing || stage === 'COMPLETED' ? 'nobody' : 'member',
    expiresAt: input.expiresAt,
    phoneCodeSentTo,
    signingCodeSentTo,
    history: [...history],
  });
  setHandler(statusQuery, status);

  const enter = (next: OnboardingStage, note: string) => {
    stage = next;
    history.push({ stage: next, at: new Date().toISOString(), note });
    upsertSearchAttributes([{ key: ONBOARDING_STAGE, value: next }]);
  };

  /** Only one member action at a time, and only the one the current stage allows. */
  const allowedIn =
    (wanted: OnboardingStage, step?: InformationStep) =>
    <Args extends unknown[]>(..._args: Args): void => {
      if (closing || stage === 'EXPIRED' || stage === 'CANCELLED') fail('onboarding.link_expired');
      if (stage === 'COMPLETED') fail('onboarding.completed');
      if (stage !== wanted) fail('onboarding.wrong_stage', `当前环节为「${STAGE_LABELS[stage]}」`);
      if (step && nextInformationStep(input.memberType, stepsDone) !== step) fail('onboarding.step_order');
      if (busy) fail('onboarding.busy');
    };

  /** Runs a member action exclusively; activity failures surface as the update's business error. */
  const exclusive = async <T>(action: () => Promise<T>): Promise<T> => {
    busy = true;
    try {
      return await action();
    } catch (err) {
      throw businessFailure(err);
    } finally {
      busy = false;
    }
  };

  const completeStep = (step: InformationStep) => {
    stepsDone.push(step);
    const note = STEP_DONE_NOTES[step];
    if (nextInformationStep(input.memberType, stepsDone) === null) enter('PHONE_BINDING', note);
    else history.push({ stage, at: new Date().toISOString(), note });
  };

  setHandler(
    submitRealNameUpdate,
    (data) =>
      exclusive(async () => {
        const verdict = await memberFacing.verifyFourElements(data);
        if (!verdict.ok) {
          throw ApplicationFailure.create({
            type: 'verification.failed',
            message: `银行卡四要素认证未通过：${verdict.reason}`,
            details: [{ element: verdict.element }],
            nonRetryable: true,
          });
        }
        await memberFacing.saveRealName({ ...ctx, data });
        completeStep('REAL_NAME');
        return status();
      }),
    { validator: allowedIn('INFORMATION', 'REAL_NAME') },
  );

  /** An enterprise information step: store what was entered, then move on. */
  const informationStep = <T>(
    update: UpdateDefinition<OnboardingStatus, [T]>,
    step: InformationStep,
    save: (req: StepContext & { data: T }) => Promise<void>,
  ) =>
    setHandler(
      update,
      (data: T) =>
        exclusive(async () => {
          await save({ ...ctx, data });
          completeStep(step);
          return status();
        }),
      { validator: allowedIn('INFORMATION', step) },
    );
  informationStep(submitCompanyUpdate, 'COMPANY', memberFacing.saveCompany);
  informationStep(submitLegalRepresentativeUpdate, 'LEGAL_REPRESENTATIVE', memberFacing.saveLegalRepresentative);
  informationStep(submitLicencesUpdate, 'LICENCES', memberFacing.saveLicences);

  /** Each code request gets its own idempotency key, so a retried activity never sends twice. */
  const nextCodeKey = (purpose: 'PHONE_BINDING' | 'AGREEMENT_SIGNING') => `${workflowId}:${purpose}:${++codeRequests}`;

  const sendSigningCode = async () => {
    const sent = await memberFacing.sendSigningCode({ ...ctx, key: nextCodeKey('AGREEMENT_SIGNING') });
    signingCodeSentTo = sent.sentTo;
    return { sentTo: sent.sentTo, sentAt: sent.sentAt };
  };

  setHandler(
    requestPhoneCodeUpdate,
    (choice) =>
      exclusive(async () => {
        const sent = await memberFacing.sendPhoneBindingCode({ ...ctx, key: nextCodeKey('PHONE_BINDING'), choice });
        phoneCodeSentTo = sent.sentTo;
        return { sentTo: sent.sentTo, sentAt: sent.sentAt };
      }),
    { validator: allowedIn('PHONE_BINDING') },
  );

  setHandler(
    bindPhoneUpdate,
    ({ code }) =>
      exclusive(async () => {
        await memberFacing.bindPhone({ ...ctx, code });
        enter('AGREEMENT_SIGNING', `手机号${phoneCodeSentTo ?? ''}绑定成功，进入协议签约`);
        // Binding success starts signing by itself: the signing code goes out now.
        // If the SMS provider is down the member can ask again ("重新获取").
        try {
          await sendSigningCode();
        } catch {
          signingCodeSentTo = null;
        }
        return status();
      }),
    { validator: allowedIn('PHONE_BINDING') },
  );

  setHandler(
    confirmUpdate,
    () =>
      exclusive(async () => {
        await memberFacing.confirmProxyOnboarding(ctx);
        enter('PHONE_BINDING', '会员已确认开户信息，进入手机绑定');
        // Confirmation sends the phone-binding code to the phone on file at once;
        // if the SMS provider is down the member asks again on the next page.
        try {
          const sent = await memberFacing.sendPhoneBindingCode({ ...ctx, key: nextCodeKey('PHONE_BINDING'), choice: { source: 'ON_FILE' } });
          phoneCodeSentTo = sent.sentTo;
        } catch {
          phoneCodeSentTo = null;
        }
        return status();
      }),
    { validator: allowedIn('CONFIRMATION') },
  );

  setHandler(requestSigningCodeUpdate, () => exclusive(sendSigningCode), { validator: allowedIn('AGREEMENT_SIGNING') });

  setHandler(
    signAgreementUpdate,
    ({ code, client }) =>
      exclusive(async () => {
        await memberFacing.signAgreement({ ...ctx, code, client: client ?? null });
        enter('COMPLETED', '协议签约完成，开户成功');
        return status();
      }),
    { validator: allowedIn('AGREEMENT_SIGNING') },
  );

  // The confirmation SMS carries a link derived from the session and its link
  // version, so the token itself never enters this history.
  const sendConfirmation = (version: number) => {
    void notifications.sendProxyConfirmation({ ...ctx, version }).catch(() => undefined);
  };
  if (proxy) sendConfirmation(1);
  setHandler(linkRotatedSignal, ({ version }) => {
    if (proxy && stage === 'CONFIRMATION') sendConfirmation(version);
  });

  setHandler(cancelSignal, ({ reason }) => {
    if (stage !== 'COMPLETED') cancelReason = reason;
  });

  const remaining = Date.parse(input.expiresAt) - Date.now();
  const ended = await condition(() => stage === 'COMPLETED' || cancelReason !== null, Math.max(remaining, 1));
  closing = true;
  // An action that began before the deadline is allowed to finish.
  await condition(allHandlersFinished);

  if (stage === 'COMPLETED') {
    await notifications.notifyOnboardingCompleted(ctx);
    return 'COMPLETED';
  }
  if (ended && cancelReason !== null) {
    enter('CANCELLED', `已取消：${cancelReason}`);
    await notifications.closeOnboarding({ ...ctx, stage: 'CANCELLED', note: `已取消：${cancelReason}` });
    return 'CANCELLED';
  }
  enter('EXPIRED', '开户链接已超过7天有效期');
  await notifications.closeOnboarding({ ...ctx, stage: 'EXPIRED', note: '开户链接已超过7天有效期' });
  return 'EXPIRED';
}
