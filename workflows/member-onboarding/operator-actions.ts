/**
 * What an operator (and the platform, through the cancel signal) may do to a running onboarding
 * (SPEC "Operating the flows"): 取消, 延期 (never past ONBOARDING_MAX_DAYS from the start),
 * 重发短信 of the SMS the member is expected to act on. The API audits each accepted one.
 */
import { setHandler, workflowInfo } from '@temporalio/workflow';
import { ONBOARDING_MAX_DAYS } from '../../domain/flows';
import { businessFailure } from '../failures';
import { extendDeadlineUpdate, resendSmsUpdate } from '../operator-messages';
import { cancelSignal } from './messages';
import { DAY, type OnboardingRun, fail, memberFacing, notifications } from './onboarding-run';

export function handleOperatorActions(run: OnboardingRun): void {
  setHandler(cancelSignal, ({ reason }) => {
    if (run.stage !== 'COMPLETED') run.cancel.record(reason);
  });

  const { startTime } = workflowInfo();
  setHandler(
    extendDeadlineUpdate,
    async ({ days, operatorId, reason }) => {
      const next = run.deadline + days * DAY;
      try {
        await memberFacing.extendOnboardingLink({ ...run.ctx, expiresAt: new Date(next).toISOString(), operatorId, reason });
      } catch (err) {
        throw businessFailure(err);
      }
      run.deadline = next;
      run.note(`运营人员延期${days}天：${reason}`);
      void run.flow.report(run.consoleStage());
      return { stage: run.stage, deadline: new Date(run.deadline).toISOString() };
    },
    {
      validator: ({ days }) => {
        if (run.finished()) fail('flow.finished');
        if (!Number.isInteger(days) || days < 1 || days > ONBOARDING_MAX_DAYS) fail('request.invalid', `延期天数须为1到${ONBOARDING_MAX_DAYS}天`);
        if (run.deadline + days * DAY - startTime.getTime() > ONBOARDING_MAX_DAYS * DAY) {
          fail('flow.extension_too_long', `开户链接自发起起最长有效${ONBOARDING_MAX_DAYS}天`);
        }
      },
    },
  );

  let resends = 0;
  setHandler(
    resendSmsUpdate,
    (_req) =>
      run.exclusive(async () => {
        let sentTo: string | null = null;
        if (run.stage === 'CONFIRMATION') {
          sentTo = (await notifications.sendProxyConfirmation({ ...run.ctx, version: run.linkVersion, resend: ++resends })).sentTo;
        } else if (run.stage === 'PHONE_BINDING') {
          sentTo = (await run.sendPhoneBindingCode(run.phoneChoice)).sentTo;
        } else {
          sentTo = (await run.sendSigningCode()).sentTo;
        }
        return { stage: run.stage, sentTo };
      }),
    {
      validator: (_req) => {
        if (run.finished()) fail('flow.finished');
        if (run.isBusy()) fail('onboarding.busy');
        // 认证中: nothing went out yet (a proxy onboarding's SMS waits for the vendor's verdict).
        if (run.verificationPendingSince !== null) fail('flow.nothing_to_resend');
        // Information collection sends nothing; binding and signing resend only a code the member already asked for.
        if (run.stage === 'INFORMATION' || (run.stage === 'PHONE_BINDING' && run.phoneCodeSentTo === null)) fail('flow.nothing_to_resend');
      },
    },
  );
}
