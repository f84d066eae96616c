/**
 * Application onboarding and go-live (SPEC F7, seeds 003 "接入流程"). Started
 * when a branch submits a new customer's checklist material:
 *
 *   开通审核 ──通过──▶ 自动开通配置 (application + account + SMS) ──▶ 测试联调
 *      │ 驳回                                                   │ 提交上线材料
 *      ▼                                                        ▼
 *   退回补充材料 (30 days, extendable to 60) ──▶ 开通审核     上线审核 ──通过──▶ 已上线
 *      │ no resubmission                                        │ 驳回: back to 测试联调
 *      ▼
 *   补充材料超时
 *
 * Application environments (seed 003 §5.3.1, patch `application-environments`): 自动开通配置 makes
 * the test environment (its own number, login with the deployment's test password); 上线投产
 * approved makes the production environment, live, with a random password — each with its own SMS.
 * Flows activated before the patch keep their one application, made live at 上线投产.
 *
 * Each review round is its own item in the reviewer queue. An operator may
 * cancel at any stage but the automatic configuration, extend the return
 * window, retry a configuration step that failed for good, and have a new
 * initial password sent while the customer has not yet logged in.
 */
import { condition, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { untilDoneOrDeadline } from '../deadlines';
import { lettingHandlersFinish } from '../handlers';
import type { Activities } from '../../activities';
import { UNTIL_DONE } from '../retry-policies';
import {
  APPLICATION_ONBOARDING_STATUS_LABELS,
  type ApplicationOnboardingStatus,
  RESUBMISSION_DAYS,
  RESUBMISSION_MAX_DAYS,
} from '../../domain/application-onboarding';
import { cancellation } from '../cancellation';
import { businessFailure, refusalsOf } from '../failures';
import { consoleStages, flowState } from '../flow-state';
import { extendDeadlineUpdate, resendSmsUpdate } from '../operator-messages';
import { awaitReview } from '../review';
import {
  type ApplicationOnboardingInput,
  type ApplicationOnboardingView,
  type BranchAction,
  applicationOnboardingStatusQuery,
  resubmitMaterialsUpdate,
  submitGoLiveUpdate,
} from './messages';

const refuse = refusalsOf('app_onboarding');

const DAY = 24 * 3600 * 1000;

const acts = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: UNTIL_DONE });

// The automatic configuration gives up after a few attempts and waits for an operator's 重试.
const configuration = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 8 },
});

const CONSOLE = consoleStages<ApplicationOnboardingStatus>({
  DRAFT: [APPLICATION_ONBOARDING_STATUS_LABELS.DRAFT, 'PLATFORM'],
  IN_REVIEW: [APPLICATION_ONBOARDING_STATUS_LABELS.IN_REVIEW, 'REVIEWER'],
  RETURNED: [APPLICATION_ONBOARDING_STATUS_LABELS.RETURNED, 'PLATFORM'],
  ACTIVATING: [APPLICATION_ONBOARDING_STATUS_LABELS.ACTIVATING, 'SYSTEM'],
  TESTING: [APPLICATION_ONBOARDING_STATUS_LABELS.TESTING, 'PLATFORM'],
  GO_LIVE_REVIEW: [APPLICATION_ONBOARDING_STATUS_LABELS.GO_LIVE_REVIEW, 'REVIEWER'],
  LIVE: [APPLICATION_ONBOARDING_STATUS_LABELS.LIVE, 'NOBODY'],
  CANCELLED: [APPLICATION_ONBOARDING_STATUS_LABELS.CANCELLED, 'NOBODY'],
  EXPIRED: [APPLICATION_ONBOARDING_STATUS_LABELS.EXPIRED, 'NOBODY'],
});

/** Waits for running handlers before it returns or continues as new. */
export const applicationOnboarding = lettingHandlersFinish('applicationOnboarding', applicationOnboardingFlow);

async function applicationOnboardingFlow(input: ApplicationOnboardingInput): Promise<'LIVE' | 'CANCELLED' | 'EXPIRED'> {
  const id = input.onboardingId;
  let stage: ApplicationOnboardingStatus = 'IN_REVIEW';
  let reviewItemId: string | null = null;
  /** The production environment (the flow's one application before environments). */
  let application: { applicationId: string; appNo: string } | null = null;
  let testEnvironment: { applicationId: string; appNo: string } | null = null;
  // Decided at 自动开通配置, once: a flow activated before environments goes on without them.
  let environments = false;
  let returnedAt = 0;
  let deadline = 0;
  let onboardingRounds = 0;
  let goLiveRounds = 0;
  let resubmitted = false;
  let goLiveSubmitted = false;
  let passwordResends = 0;
  // Who submitted the material now under review: that reviewer may not decide it.
  let submitter = input.submittedById;

  const view = (): ApplicationOnboardingView => ({
    stage,
    reviewItemId,
    applicationId: application?.applicationId ?? null,
    appNo: application?.appNo ?? null,
    testApplicationId: testEnvironment?.applicationId ?? null,
    testAppNo: testEnvironment?.appNo ?? null,
    resubmitBy: stage === 'RETURNED' ? new Date(deadline).toISOString() : null,
    onboardingRounds,
    goLiveRounds,
  });
  setHandler(applicationOnboardingStatusQuery, view);
  const consoleStage = () => CONSOLE(stage, { deadline: stage === 'RETURNED' ? new Date(deadline).toISOString() : null });
  const flow = flowState({ flow: 'application-onboarding', applicationId: null }, consoleStage());
  const enter = async (next: ApplicationOnboardingStatus, reason?: string) => {
    stage = next;
    await acts.setApplicationOnboardingStatus({
      onboardingId: id,
      status: next,
      reason: reason ?? null,
      ...(next === 'RETURNED' ? { resubmitBy: new Date(deadline).toISOString() } : {}),
    });
    void flow.report(consoleStage());
  };

  const answer = () => ({ stage: stage as ApplicationOnboardingStatus });
  const cancel = cancellation(
    () =>
      ((stage === 'LIVE' || stage === 'CANCELLED' || stage === 'EXPIRED') && 'flow.finished') ||
      (stage === 'ACTIVATING' && ['flow.not_cancellable', '应用正在自动开通配置，完成后可取消']),
    answer,
  );
  // The branch hands in what a stage waits for (corrected material, or the go-live request), once per stage.
  const branchSubmits = (update: typeof resubmitMaterialsUpdate, waitingStage: ApplicationOnboardingStatus, submitted: { get(): boolean; set(): void }) =>
    setHandler(
      update,
      ({ userId }: BranchAction) => {
        submitted.set();
        submitter = userId;
        return answer();
      },
      { validator: refuse(() => (stage !== waitingStage || submitted.get() || cancel.reason() !== null) && 'app_onboarding.wrong_stage') },
    );
  branchSubmits(resubmitMaterialsUpdate, 'RETURNED', { get: () => resubmitted, set: () => void (resubmitted = true) });
  branchSubmits(submitGoLiveUpdate, 'TESTING', { get: () => goLiveSubmitted, set: () => void (goLiveSubmitted = true) });
  setHandler(
    extendDeadlineUpdate,
    async ({ days, operatorId, reason }) => {
      deadline += days * DAY;
      await acts.extendResubmission({ onboardingId: id, operatorId, days, reason, resubmitBy: new Date(deadline).toISOString() });
      void flow.report(consoleStage());
      return { stage, deadline: new Date(deadline).toISOString() };
    },
    {
      validator: refuse(
        ({ days }: { days: number }) =>
          ((stage !== 'RETURNED' || cancel.reason() !== null || resubmitted) && ['flow.action_unsupported', '仅“退回补充材料”环节可以延期']) ||
          ((!Number.isInteger(days) || days < 1 || days > RESUBMISSION_DAYS) && ['request.invalid', `延期天数须为1到${RESUBMISSION_DAYS}天`]) ||
          (deadline + days * DAY - returnedAt > RESUBMISSION_MAX_DAYS * DAY && 'flow.extension_too_long'),
      ),
    },
  );
  // 重发短信: a new initial password, only while the customer has not logged in and changed it.
  setHandler(
    resendSmsUpdate,
    async () => {
      try {
        const { sentTo } = await acts.resendInitialPassword({
          onboardingId: id,
          resend: ++passwordResends,
          ...(environments ? { environment: 'TEST' as const } : {}),
        });
        return { stage, sentTo };
      } catch (err) {
        throw businessFailure(err);
      }
    },
    { validator: refuse(() => stage !== 'TESTING' && stage !== 'GO_LIVE_REVIEW' && ['flow.nothing_to_resend', '应用开通后才有初始密码短信']) },
  );

  const finish = async (outcome: 'LIVE' | 'CANCELLED' | 'EXPIRED', reason?: string) => {
    await enter(outcome, reason);
    await flow.flushed();
    return outcome;
  };

  // One review round: its stage, its item in the queue, the decision (null when cancelled first).
  const reviewRound = async (next: 'IN_REVIEW' | 'GO_LIVE_REVIEW', round: number) => {
    await enter(next);
    const kind = next === 'IN_REVIEW' ? 'APPLICATION_ONBOARDING' : 'APPLICATION_GO_LIVE';
    // The decision handler is registered in the same activation the item appears in the queue.
    reviewItemId = await acts.openApplicationReview({ onboardingId: id, kind, round, submittedById: submitter, workflowId: workflowInfo().workflowId });
    const decision = await awaitReview(reviewItemId, cancel.reason);
    reviewItemId = null;
    return decision;
  };

  // 开通审核, as many rounds as it takes (each return waits for corrected material).
  for (;;) {
    const decision = await reviewRound('IN_REVIEW', ++onboardingRounds);
    if (decision === null) return finish('CANCELLED', cancel.reason()!);
    if (decision.approve) break;
    returnedAt = Date.now();
    deadline = returnedAt + RESUBMISSION_DAYS * DAY;
    await enter('RETURNED', decision.reason);
    await untilDoneOrDeadline(
      () => resubmitted || cancel.reason() !== null,
      () => deadline,
    );
    if (cancel.reason() !== null) return finish('CANCELLED', cancel.reason()!);
    if (!resubmitted) return finish('EXPIRED', `退回后${Math.round((deadline - returnedAt) / DAY)}天内未提交补充材料`);
    resubmitted = false;
  }

  // 自动开通配置: the application, its login account, then the SMS with the initial password.
  await enter('ACTIVATING');
  environments = patched('application-environments');
  if (environments) {
    testEnvironment = (await flow.step('activateTestEnvironment', () => configuration.activateTestEnvironment({ onboardingId: id })))!;
    await flow.step('sendEnvironmentSms', () => configuration.sendEnvironmentSms({ onboardingId: id, environment: 'TEST' }));
  } else {
    application = (await flow.step('activateApplication', () => configuration.activateApplication({ onboardingId: id })))!;
    await flow.step('sendActivationSms', () => configuration.sendActivationSms({ onboardingId: id }));
  }

  // 测试联调 → 上线审核, until approved (a return goes back to 测试联调 with the reason).
  let goLiveReturn: string | undefined;
  for (;;) {
    await enter('TESTING', goLiveReturn);
    await condition(() => goLiveSubmitted || cancel.reason() !== null);
    if (cancel.reason() !== null) return finish('CANCELLED', cancel.reason()!);
    goLiveSubmitted = false;
    const decision = await reviewRound('GO_LIVE_REVIEW', ++goLiveRounds);
    if (decision === null) return finish('CANCELLED', cancel.reason()!);
    if (decision.approve) break;
    goLiveReturn = decision.reason;
  }
  if (environments) {
    // Promotion: the production environment, live, and its own SMS.
    application = (await flow.step('promoteToProduction', () => configuration.promoteToProduction({ onboardingId: id })))!;
    await flow.step('sendEnvironmentSms', () => configuration.sendEnvironmentSms({ onboardingId: id, environment: 'PRODUCTION' }));
  } else await flow.step('markApplicationLive', () => configuration.markApplicationLive({ onboardingId: id }));
  return finish('LIVE');
}
