/**
 * One member onboarding run: the state every stage reads and changes (stage, history, deadline,
 * codes sent), what the member's page and the console are shown, and the rules every member
 * action meets (one at a time, only the one the current stage allows).
 */
import { proxyActivities, proxyLocalActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { FlowStateReport } from '../../activities/db/flow-states';
import type { StepContext } from '../../activities/db/member-onboarding';
import {
  INFORMATION_STEPS,
  type InformationStep,
  type OnboardingStage,
  STAGE_LABELS,
  TERMINAL_STAGES,
  VERIFICATION_WAIT_LIMIT_DAYS,
  nextInformationStep,
} from '../../domain/onboarding';
import { type Cancellation, cancellation } from '../cancellation';
import { businessFailure, failuresOf } from '../failures';
import { type FlowState, flowState } from '../flow-state';
import { ONBOARDING_STAGE } from '../search-attributes';
import { type MemberOnboardingInput, type OnboardingStatus, type PhoneChoice, type StageChange, statusQuery } from './messages';

export const fail = failuresOf('onboarding');

// Steps the member waits on run as local activities: short, and answered in the
// same workflow task, which keeps the member's page fast.
export const memberFacing = proxyLocalActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry: { maximumAttempts: 3, initialInterval: '200 ms' },
});

// The member's 实名信息 with the vendor asked once: without its verdict the flow answers 认证中 at once.
export const askingOnce = proxyLocalActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry: { maximumAttempts: 3, initialInterval: '200 ms', nonRetryableErrorTypes: ['verification.unavailable'] },
});

// Notifications nobody waits on: retried patiently with backoff.
export const notifications = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 20 },
});

export const DAY = 24 * 3600 * 1000;

export interface PreparedStage {
  report: FlowStateReport;
  enter(note: string): void;
}

export class OnboardingRun {
  readonly ctx: StepContext;
  readonly proxy: boolean;
  stage: OnboardingStage;
  readonly stepsDone: InformationStep[];
  readonly history: StageChange[];
  /** An operator's 延期 moves it; the link check in the API reads the session's copy. */
  deadline: number;
  phoneCodeSentTo: string | null = null;
  signingCodeSentTo: string | null = null;
  reminderSentTo: string | null = null;
  phoneChoice: PhoneChoice = { source: 'ON_FILE' };
  linkVersion = 1;
  /** 认证中: since when (workflow time) the 实名信息 waits for the vendor's verdict. */
  verificationPendingSince: number | null = null;
  verificationHolds = 0;
  /** Set once the deadline passed or the flow ended: actions still running may finish, new ones are refused. */
  closing = false;
  /** The operator's 取消 (or the platform's cancel signal): the flow ends at its next safe point. */
  readonly cancel: Cancellation;
  readonly flow: FlowState;
  private busy = false;
  private codeRequests = 0;

  constructor(readonly input: MemberOnboardingInput) {
    const { workflowId } = workflowInfo();
    this.ctx = { workflowId, sessionId: input.sessionId, memberId: input.memberId };
    this.proxy = input.mode === 'PROXY';
    this.stage = this.proxy ? 'CONFIRMATION' : 'INFORMATION';
    this.stepsDone = this.proxy ? [...INFORMATION_STEPS[input.memberType]] : [];
    this.history = [{ stage: this.stage, at: new Date().toISOString(), note: this.proxy ? '平台已代为录入开户信息，待会员确认' : '开户链接已生成' }];
    // Flows started before validityMs existed carry only the instant (a data branch: their histories replay unchanged).
    this.deadline = input.validityMs !== undefined ? workflowInfo().startTime.getTime() + input.validityMs : Date.parse(input.expiresAt);
    // 平台代开户 made while the vendor gave no verdict: 认证中 from the start (the API marked the session so).
    if (input.pendingRealName || input.pendingEnterprise) this.verificationPendingSince = workflowInfo().startTime.getTime();
    setHandler(statusQuery, () => this.status());
    this.cancel = cancellation(
      () => this.finished() && 'flow.finished',
      () => ({ stage: this.stage }),
    );
    this.flow = flowState({ flow: 'member-onboarding', applicationId: input.applicationId, memberId: input.memberId }, this.consoleStage());
  }

  status(): OnboardingStatus {
    return {
      stage: this.stage,
      stepsDone: [...this.stepsDone],
      nextStep: this.stage === 'INFORMATION' ? nextInformationStep(this.input.memberType, this.stepsDone) : null,
      waitingFor: this.closing || this.stage === 'COMPLETED' ? 'nobody' : 'member',
      expiresAt: new Date(this.deadline).toISOString(),
      reminderSentTo: this.reminderSentTo,
      phoneCodeSentTo: this.phoneCodeSentTo,
      signingCodeSentTo: this.signingCodeSentTo,
      history: [...this.history],
      verificationPendingSince: this.verificationPendingSince === null ? null : new Date(this.verificationPendingSince).toISOString(),
    };
  }

  /**
   * When the flow ends if nothing else happens: the deadline, held while the 实名信息 waits for the
   * vendor (the wait gives up before this, and its end moves the deadline itself).
   */
  effectiveDeadline(): number {
    if (this.verificationPendingSince === null) return this.deadline;
    return Math.max(this.deadline, this.verificationPendingSince + 2 * VERIFICATION_WAIT_LIMIT_DAYS * DAY);
  }

  /** The console's view of a stage; 认证中 (the current stage waiting for the vendor) waits for the system. */
  consoleStage(stage: OnboardingStage = this.stage, pending = this.verificationPendingSince !== null && stage === this.stage) {
    const closed = TERMINAL_STAGES.includes(stage);
    return {
      stage,
      stageLabel: pending && !closed ? `${STAGE_LABELS[stage]}（认证中）` : STAGE_LABELS[stage],
      waitingFor: closed ? ('NOBODY' as const) : pending ? ('SYSTEM' as const) : ('MEMBER' as const),
      deadline: new Date(this.deadline).toISOString(),
      closed,
    };
  }

  /** Moves to the next stage, with the note the member's history shows. */
  enter(next: OnboardingStage, note: string): void {
    this.stage = next;
    this.note(note);
    upsertSearchAttributes([{ key: ONBOARDING_STAGE, value: next }]);
    void this.flow.report(this.consoleStage());
  }

  /**
   * A stage change made by one member action's own activity: `report` goes into that activity's
   * transaction; `enter` moves the flow once the activity succeeded (nothing else is sent).
   */
  prepareStage(next: OnboardingStage): PreparedStage {
    const stage = this.consoleStage(next);
    return {
      report: this.flow.reportFor(stage),
      enter: (note: string) => {
        this.stage = next;
        this.note(note);
        upsertSearchAttributes([{ key: ONBOARDING_STAGE, value: next }]);
        this.flow.adopt(stage);
      },
    };
  }

  /** A line in the history without a stage change. */
  note(note: string, at: number = Date.now()): void {
    this.history.push({ stage: this.stage, at: new Date(at).toISOString(), note });
  }

  /** Completed, or cancelled: nothing is left to wait for. */
  readonly over = (): boolean => this.stage === 'COMPLETED' || this.cancel.reason() !== null;

  /** Finished for the console's actions: closing, closed, or cancelled. */
  finished(): boolean {
    return this.closing || TERMINAL_STAGES.includes(this.stage) || this.cancel.reason() !== null;
  }

  isBusy(): boolean {
    return this.busy;
  }

  /** The validator of a member action: only one at a time, and only the one the current stage allows. */
  allowedIn(wanted: OnboardingStage, step?: InformationStep) {
    return (..._args: unknown[]): void => {
      if (this.closing || this.stage === 'EXPIRED' || this.stage === 'CANCELLED') fail('onboarding.link_expired');
      if (this.stage === 'COMPLETED') fail('onboarding.completed');
      if (this.stage !== wanted) fail('onboarding.wrong_stage', `当前环节为「${STAGE_LABELS[this.stage]}」`);
      // 认证中 first: whatever the member sends meanwhile, the answer is that the flow is on it.
      if (this.verificationPendingSince !== null) fail('onboarding.verification_pending');
      if (step && nextInformationStep(this.input.memberType, this.stepsDone) !== step) fail('onboarding.step_order');
      if (this.busy) fail('onboarding.busy');
    };
  }

  /** Runs a member action exclusively; activity failures surface as the update's business error. */
  async exclusive<T>(action: () => Promise<T>): Promise<T> {
    this.busy = true;
    try {
      return await action();
    } catch (err) {
      throw businessFailure(err);
    } finally {
      this.busy = false;
    }
  }

  /** Each code request gets its own idempotency key, so a retried activity never sends twice. */
  nextCodeKey(purpose: 'PHONE_BINDING' | 'AGREEMENT_SIGNING'): string {
    return `${this.ctx.workflowId}:${purpose}:${++this.codeRequests}`;
  }

  async sendPhoneBindingCode(choice: PhoneChoice) {
    const sent = await memberFacing.sendPhoneBindingCode({ ...this.ctx, key: this.nextCodeKey('PHONE_BINDING'), choice });
    this.phoneCodeSentTo = sent.sentTo;
    return sent;
  }

  async sendSigningCode() {
    const sent = await memberFacing.sendSigningCode({ ...this.ctx, key: this.nextCodeKey('AGREEMENT_SIGNING') });
    this.signingCodeSentTo = sent.sentTo;
    return { sentTo: sent.sentTo, sentAt: sent.sentAt };
  }
}
