/**
 * 认证中 (domain/onboarding.ts): the vendor gave no verdict while the member waited on the page.
 * The flow keeps the submission, the member's page and the lists show 认证中, and the vendor is asked
 * again with patient retries. The link cannot expire meanwhile; when the wait is over its expiry
 * moves later by the wait, and a verdict the page did not show is kept for the member to read.
 */
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { EnterpriseElements } from '../../lib/adapters/verification';
import {
  COMPANY_REOPENED_NOTE,
  ENTERPRISE_VERIFICATION_GAVE_UP_NOTE,
  type InformationStep,
  VERIFICATION_GAVE_UP_NOTE,
  VERIFICATION_PENDING_NOTE,
  VERIFICATION_WAIT_LIMIT_DAYS,
  nextInformationStep,
  refusalReopensCompany,
} from '../../domain/onboarding';
import type { IndividualRealName, LegalRepresentative } from './messages';
import { DAY, type OnboardingRun, type PreparedStage, memberFacing } from './onboarding-run';

/** Asks the vendor until it answers, backing off to one try every five minutes, for at most the wait limit. */
const untilTheVendorAnswers = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: VERIFICATION_WAIT_LIMIT_DAYS * DAY,
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** The end of the wait is written however long the database is away: it is never dropped. */
const patiently = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** The activity's failure says the vendor gave no verdict (not a mismatch, not our fault). */
export function vendorGaveNoVerdict(err: unknown): boolean {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure && cause.type === 'verification.unavailable';
}

/** "2天3小时" / "3小时5分钟" / "4分钟": how long the member waited, as the history says it. */
function duration(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  const [d, h, m] = [Math.floor(minutes / 1440), Math.floor((minutes % 1440) / 60), minutes % 60];
  if (d > 0) return `${d}天${h > 0 ? `${h}小时` : ''}`;
  return h > 0 ? `${h}小时${m > 0 ? `${m}分钟` : ''}` : `${m}分钟`;
}

/** What the member submitted and the vendor did not answer: 实名信息 (a person's card) or 法人信息 (企业四要素). */
export type VendorQuestion = { step: 'REAL_NAME'; data: IndividualRealName } | { step: 'LEGAL_REPRESENTATIVE'; data: LegalRepresentative };

/** The vendor's answer to the question, as the member reads it: null when it passed. */
interface Answer {
  refusal: string | null;
  /** 企业四要素 found the company wrong: 企业基本信息 is open again (the activity reopened it in the read model). */
  companyReopened: boolean;
}

async function askUntilAnswered(run: OnboardingRun, question: VendorQuestion): Promise<Answer> {
  if (question.step === 'REAL_NAME') {
    const verdict = await untilTheVendorAnswers.submitRealName({ ...run.ctx, data: question.data, report: null });
    return { refusal: verdict.ok ? null : `银行卡四要素认证未通过：${verdict.reason}`, companyReopened: false };
  }
  const verdict = await untilTheVendorAnswers.submitLegalRepresentative({ ...run.ctx, data: question.data });
  if (verdict.ok) return { refusal: null, companyReopened: false };
  return { refusal: `企业信息核验未通过：${verdict.reason}`, companyReopened: refusalReopensCompany(verdict.element) };
}

/**
 * Marks the member 认证中 and starts asking the vendor in the background; resolves once the member's
 * page can be answered (the pending mark is written). `completeStep` runs when the answer passed.
 */
export async function waitForTheVendor(run: OnboardingRun, question: VendorQuestion, completeStep: (prepared: PreparedStage | null) => void): Promise<void> {
  const hold = ++run.verificationHolds;
  const since = Date.now();
  run.verificationPendingSince = since;
  const pending = run.consoleStage(); // 信息采集（认证中）, waiting for the system
  try {
    await memberFacing.holdRealNameForVendor({ ...run.ctx, hold, report: run.flow.reportFor(pending) });
  } catch (err) {
    run.verificationPendingSince = null;
    throw err;
  }
  run.flow.adopt(pending);
  run.note(VERIFICATION_PENDING_NOTE, since);

  void (async () => {
    let answer: Answer | null = null;
    try {
      answer = await askUntilAnswered(run, question);
    } catch {
      // The wait limit passed (or the submission cannot be stored): the member submits again.
    }
    const company = run.stepsDone.indexOf('COMPANY');
    if (answer?.companyReopened && company >= 0) run.stepsDone.splice(company, 1);
    const step: InformationStep = question.step;
    const gaveUpNote = step === 'REAL_NAME' ? VERIFICATION_GAVE_UP_NOTE : ENTERPRISE_VERIFICATION_GAVE_UP_NOTE;
    const refusal = answer === null ? gaveUpNote : answer.refusal;
    const settledAt = Date.now();
    const waited = settledAt - since;
    run.deadline += waited;
    const moved = `开户链接有效期顺延${duration(waited)}`;
    const passed = refusal === null;
    const last = passed && nextInformationStep(run.input.memberType, [...run.stepsDone, step]) === null;
    const next = last ? run.prepareStage('PHONE_BINDING') : null;
    const report = next?.report ?? run.flow.reportFor(run.consoleStage(run.stage, false));
    const passedNote = step === 'REAL_NAME' ? '认证服务已应答，实名认证通过' : '认证服务已应答，企业信息核验通过';
    const note = passed ? `${passedNote}；${moved}` : `${refusal}；${moved}`;
    await patiently.settleRealNameVerification({
      ...run.ctx,
      hold,
      expiresAt: new Date(run.deadline).toISOString(),
      note,
      memberNote: refusal,
      report,
    });
    // Still 认证中 until the end of the wait is written: no second submission meanwhile.
    run.verificationPendingSince = null;
    run.note(note, settledAt);
    if (answer?.companyReopened) run.note(COMPANY_REOPENED_NOTE, settledAt);
    if (passed) completeStep(next);
    else {
      run.flow.adopt(run.consoleStage());
    }
  })();
}

/** What a 平台代开户 made 认证中 waits on: the individual's card or the enterprise's 企业四要素. */
export type ProxyQuestion = { kind: 'CARD'; data: IndividualRealName } | { kind: 'ENTERPRISE'; data: EnterpriseElements };

async function askProxyUntilAnswered(run: OnboardingRun, question: ProxyQuestion): Promise<string | null> {
  try {
    if (question.kind === 'CARD') {
      const verdict = await untilTheVendorAnswers.verifyProxyRealName({ ...run.ctx, data: question.data });
      return verdict.ok ? null : `银行卡四要素认证未通过：${verdict.reason}`;
    }
    const verdict = await untilTheVendorAnswers.verifyProxyEnterprise({ ...run.ctx, data: question.data });
    return verdict.ok ? null : `企业信息核验未通过：${verdict.reason}`;
  } catch {
    return '认证服务长时间无应答，平台代开户未能完成认证';
  }
}

/**
 * 平台代开户 made while the vendor gave no verdict: the flow starts 认证中 and asks the vendor with the
 * same patience. Verified (the card stored, the enterprise marked), the confirmation SMS goes out; a
 * mismatch (or the wait given up) cancels the onboarding with the reason, which the platform reads in its list.
 */
export function verifyProxyWhenTheVendorAnswers(run: OnboardingRun, question: ProxyQuestion, sendConfirmation: () => void): void {
  const since = run.verificationPendingSince!;
  void (async () => {
    const refusal = await askProxyUntilAnswered(run, question);
    const settledAt = Date.now();
    run.deadline += settledAt - since;
    const verified = question.kind === 'CARD' ? '实名认证通过' : '企业信息核验通过';
    const note = refusal ?? `认证服务已应答，${verified}，已向会员发送确认开户短信；开户链接有效期顺延${duration(settledAt - since)}`;
    await patiently.settleRealNameVerification({
      ...run.ctx,
      hold: 0,
      expiresAt: new Date(run.deadline).toISOString(),
      note,
      memberNote: refusal,
      report: run.flow.reportFor(run.consoleStage(run.stage, false)),
    });
    run.flow.adopt(run.consoleStage(run.stage, false));
    run.verificationPendingSince = null;
    run.note(note, settledAt);
    if (refusal) run.cancel.record(refusal);
    else sendConfirmation();
  })();
}
