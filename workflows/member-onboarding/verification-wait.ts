/**
 * 认证中 (domain/onboarding.ts): the vendor gave no verdict while the member waited on the page.
 * The flow keeps the submission, the member's page and the lists show 认证中, and the vendor is asked
 * again with patient retries. The link cannot expire meanwhile; when the wait is over its expiry
 * moves later by the wait, and a verdict the page did not show is kept for the member to read.
 */
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { VERIFICATION_GAVE_UP_NOTE, VERIFICATION_PENDING_NOTE, VERIFICATION_WAIT_LIMIT_DAYS, nextInformationStep } from '../../domain/onboarding';
import type { IndividualRealName } from './messages';
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

/**
 * Marks the member 认证中 and starts asking the vendor in the background; resolves once the member's
 * page can be answered (the pending mark is written).
 */
export async function waitForTheVendor(run: OnboardingRun, data: IndividualRealName, completeStep: (prepared: PreparedStage | null) => void): Promise<void> {
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
    let refusal: string | null = null;
    let gaveUp = false;
    try {
      const verdict = await untilTheVendorAnswers.submitRealName({ ...run.ctx, data, report: null });
      if (!verdict.ok) refusal = `银行卡四要素认证未通过：${verdict.reason}`;
    } catch {
      // The wait limit passed (or the submission cannot be stored): the member submits again.
      gaveUp = true;
    }
    const settledAt = Date.now();
    const waited = settledAt - since;
    run.deadline += waited;
    const moved = `开户链接有效期顺延${duration(waited)}`;
    const passed = refusal === null && !gaveUp;
    const last = passed && nextInformationStep(run.input.memberType, [...run.stepsDone, 'REAL_NAME']) === null;
    const next = last ? run.prepareStage('PHONE_BINDING') : null;
    const report = next?.report ?? run.flow.reportFor(run.consoleStage(run.stage, false));
    const note = passed ? `认证服务已应答，实名认证通过；${moved}` : `${refusal ?? VERIFICATION_GAVE_UP_NOTE}；${moved}`;
    await patiently.settleRealNameVerification({
      ...run.ctx,
      hold,
      expiresAt: new Date(run.deadline).toISOString(),
      note,
      memberNote: passed ? null : (refusal ?? VERIFICATION_GAVE_UP_NOTE),
      report,
    });
    // Still 认证中 until the end of the wait is written: no second submission meanwhile.
    run.verificationPendingSince = null;
    run.note(note, settledAt);
    if (passed) completeStep(next);
    else {
      run.flow.adopt(run.consoleStage());
    }
  })();
}

/**
 * 平台代开户 made while the vendor gave no verdict: the flow starts 认证中 and asks the vendor with the
 * same patience. Verified, the card is stored and the confirmation SMS goes out; a mismatch (or the
 * wait given up) cancels the onboarding with the reason, which the platform reads in its list.
 */
export function verifyProxyWhenTheVendorAnswers(run: OnboardingRun, data: IndividualRealName, sendConfirmation: () => void): void {
  const since = run.verificationPendingSince!;
  void (async () => {
    let refusal: string | null = null;
    try {
      const verdict = await untilTheVendorAnswers.verifyProxyRealName({ ...run.ctx, data });
      if (!verdict.ok) refusal = `银行卡四要素认证未通过：${verdict.reason}`;
    } catch {
      refusal = '认证服务长时间无应答，平台代开户未能完成认证';
    }
    const settledAt = Date.now();
    run.deadline += settledAt - since;
    const note = refusal ?? `认证服务已应答，实名认证通过，已向会员发送确认开户短信；开户链接有效期顺延${duration(settledAt - since)}`;
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
