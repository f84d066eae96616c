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
import { ONBOARDING_MAX_DAYS } from '../../domain/flows';
import { businessFailure, failuresOf } from '../failures';
import { untilDoneOrDeadline } from '../deadlines';
import { flowState } from '../flow-state';
import { cancelFlowUpdate, extendDeadlineUpdate, resendSmsUpdate } from '../operator-messages';
import { ONBOARDING_STAGE } from '../search-attributes';
import type { UpdateDefinition } from '@temporalio/common';
import type { Activities } from '../../activities';
import type { StepContext } from '../../activities/db/onboarding-store';
import { INFORMATION_STEPS, type InformationStep, type OnboardingStage, STAGE_LABELS, STEP_DONE_NOTES, nextInformationStep } from '../../domain/onboarding';
import {
  type MemberOnboardingInput,
  type OnboardingOutcome,
  type OnboardingStatus,
  type PhoneChoice,
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

const fail = failuresOf('onboarding');

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

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
const FINAL_STAGES: OnboardingStage[] = ['COMPLETED', 'EXPIRED', 'CANCELLED'];

export async function memberOnboarding(input: MemberOnboardingInput): Promise<OnboardingOutcome> {
  const { workflowId, startTime } = workflowInfo();
  const ctx = { workflowId, sessionId: input.sessionId, memberId: input.memberId };
  const proxy = input.mode === 'PROXY';
  let stage = (proxy ? 'CONFIRMATION' : 'INFORMATION') as OnboardingStage;
  const stepsDone: InformationStep[] = proxy ? [...INFORMATION_STEPS[input.memberType]] : [];
  const history: StageChange[] = [{ stage, at: new Date().toISOString(), note: proxy ? '平台已代为录入开户信息，待会员确认' : '开户链接已生成' }];
  let phoneCodeSentTo: string | null = null;
  let signingCodeSentTo: string | null = null;
  let codeRequests = 0;
  let busy = false;
  let closing = false;
  let cancelReason: string | null = null;
  // An operator's 延期 moves it; the link check in the API reads the session's copy.
  // Flows started before validityMs existed carry only the instant (a data branch: their histories replay unchanged).
  let deadline = input.validityMs !== undefined ? workflowInfo().startTime.getTime() + input.validityMs : Date.parse(input.expiresAt);
  let phoneChoice: PhoneChoice = { source: 'ON_FILE' };
  let resends = 0;
  let linkVersion = 1;
  let reminderSentTo: string | null = null;

  const status = (): OnboardingStatus => ({
    stage,
    stepsDone: [...stepsDone],
    nextStep: stage === 'INFORMATION' ? nextInformationStep(input.memberType, stepsDone) : null,
    waitingFor: closing || stage === 'COMPLETED' ? 'nobody' : 'member',
    expiresAt: new Date(deadline).toISOString(),
    reminderSentTo,
    phoneCodeSentTo,
    signingCodeSentTo,
    history: [...history],
  });
  setHandler(statusQuery, status);

  const consoleStage = () => ({
    stage,
    stageLabel: STAGE_LABELS[stage],
    waitingFor: FINAL_STAGES.includes(stage) ? ('NOBODY' as const) : ('MEMBER' as const),
    deadline: new Date(deadline).toISOString(),
    closed: FINAL_STAGES.includes(stage),
  });
  const flow = flowState({ flow: 'member-onboarding', applicationId: input.applicationId, memberId: input.memberId }, consoleStage());

  const enter = (next: OnboardingStage, note: string) => {
    stage = next;
    history.push({ stage: next, at: new Date().toISOString(), note });
    upsertSearchAttributes([{ key: ONBOARDING_STAGE, value: next }]);
    void flow.report(consoleStage());
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
        phoneChoice = choice;
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
    linkVersion = version;
    if (proxy && stage === 'CONFIRMATION') sendConfirmation(version);
  });

  setHandler(cancelSignal, ({ reason }) => {
    if (stage !== 'COMPLETED') cancelReason = reason;
  });

  // Operator actions (SPEC "Operating the flows"); the API audits each accepted one.
  const refuseWhenFinished = (_req?: unknown) => {
    if (closing || FINAL_STAGES.includes(stage) || cancelReason !== null) fail('flow.finished');
  };
  setHandler(
    cancelFlowUpdate,
    ({ reason }) => {
      cancelReason = reason;
      return { stage };
    },
    { validator: refuseWhenFinished },
  );
  setHandler(
    extendDeadlineUpdate,
    async ({ days, operatorId, reason }) => {
      const next = deadline + days * DAY;
      try {
        await memberFacing.extendOnboardingLink({ ...ctx, expiresAt: new Date(next).toISOString(), operatorId, reason });
      } catch (err) {
        throw businessFailure(err);
      }
      deadline = next;
      history.push({ stage, at: new Date().toISOString(), note: `运营人员延期${days}天：${reason}` });
      void flow.report(consoleStage());
      return { stage, deadline: new Date(deadline).toISOString() };
    },
    {
      validator: ({ days }) => {
        refuseWhenFinished();
        if (!Number.isInteger(days) || days < 1 || days > ONBOARDING_MAX_DAYS) fail('request.invalid', `延期天数须为1到${ONBOARDING_MAX_DAYS}天`);
        if (deadline + days * DAY - startTime.getTime() > ONBOARDING_MAX_DAYS * DAY) {
          fail('flow.extension_too_long', `开户链接自发起起最长有效${ONBOARDING_MAX_DAYS}天`);
        }
      },
    },
  );
  setHandler(
    resendSmsUpdate,
    (_req) =>
      exclusive(async () => {
        let sentTo: string | null = null;
        if (stage === 'CONFIRMATION') {
          sentTo = (await notifications.sendProxyConfirmation({ ...ctx, version: linkVersion, resend: ++resends })).sentTo;
        } else if (stage === 'PHONE_BINDING') {
          sentTo = (await memberFacing.sendPhoneBindingCode({ ...ctx, key: nextCodeKey('PHONE_BINDING'), choice: phoneChoice })).sentTo;
          phoneCodeSentTo = sentTo;
        } else {
          sentTo = (await sendSigningCode()).sentTo;
        }
        return { stage, sentTo };
      }),
    {
      validator: (_req) => {
        refuseWhenFinished();
        if (busy) fail('onboarding.busy');
        // Information collection sends nothing; binding and signing resend only a code the member already asked for.
        if (stage === 'INFORMATION' || (stage === 'PHONE_BINDING' && phoneCodeSentTo === null)) fail('flow.nothing_to_resend');
      },
    },
  );

  const over = () => stage === 'COMPLETED' || cancelReason !== null;

  // 到期提醒: once, 24 hours before the deadline (which an extension may move).
  const reminder = (async () => {
    if (await untilDoneOrDeadline(over, () => deadline - DAY, { skipWhenPast: true })) return;
    if (over() || Date.now() >= deadline) return;
    try {
      reminderSentTo = (await notifications.sendOnboardingReminder({ ...ctx, key: `${workflowId}:reminder` })).sentTo;
      if (reminderSentTo) history.push({ stage, at: new Date().toISOString(), note: `已向${reminderSentTo}发送到期提醒短信` });
    } catch {
      // A reminder that cannot be sent does not hold the onboarding back.
    }
  })();

  // Sleep until the deadline; an extension moves it, completion or cancellation ends it.
  await untilDoneOrDeadline(over, () => deadline);
  closing = true;
  // An action that began before the deadline is allowed to finish.
  await condition(allHandlersFinished);
  await reminder;

  let outcome: OnboardingOutcome;
  if (stage === 'COMPLETED') {
    await flow.step('notifyOnboardingCompleted', () => notifications.notifyOnboardingCompleted(ctx));
    outcome = 'COMPLETED';
  } else if (cancelReason !== null) {
    enter('CANCELLED', `已取消：${cancelReason}`);
    await flow.step('closeOnboarding', () => notifications.closeOnboarding({ ...ctx, stage: 'CANCELLED', note: `已取消：${cancelReason}` }));
    outcome = 'CANCELLED';
  } else {
    enter('EXPIRED', '开户链接已超过有效期');
    await flow.step('closeOnboarding', () => notifications.closeOnboarding({ ...ctx, stage: 'EXPIRED', note: '开户链接已超过有效期' }));
    outcome = 'EXPIRED';
  }
  await flow.report(consoleStage());
  return outcome;
}
