/**
 * 对公户验证 (corporate account verification by small deposit): a few fen go to the enterprise's
 * corporate account through the payment channel (a DEPOSIT, decided like any channel transaction);
 * once it arrived the enterprise has DEPOSIT_CONFIRM_HOURS to confirm the amount, with DEPOSIT_TRIES
 * tries. The right amount binds the account as the member's 对公户; too many wrong ones, the
 * deadline, a deposit the bank refused or an operator's 取消 end it without binding anything.
 */
import { ApplicationFailure, condition, proxyActivities, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { type CorporateAccountStage, DEPOSIT_TRIES } from '../../domain/corporate-accounts';
import { cancellation } from '../cancellation';
import { businessFailure, failuresOf, refusalsOf } from '../failures';
import { consoleStages, flowState } from '../flow-state';
import { lettingHandlersFinish } from '../handlers';
import { UNTIL_DONE } from '../retry-policies';
import { CHANNEL_DECISION_TIMEOUT_MS, QUERY_INTERVALS_MS } from '../payment-order/workflow';
import {
  type CorporateAccountInput,
  type CorporateAccountOutcome,
  type CorporateAccountStatus,
  confirmDepositUpdate,
  corporateAccountStatusQuery,
} from './messages';

const refuse = refusalsOf('corporate_account');
const fail = failuresOf('corporate_account');
const TRIES_EXHAUSTED = '打款金额错误次数过多';
const channel = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: UNTIL_DONE });
const store = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: UNTIL_DONE });
// The enterprise waits on the page for its answer: one local activity, in the same workflow task.
const check = proxyLocalActivities<Activities>({ startToCloseTimeout: '15 seconds', retry: { maximumAttempts: 3, initialInterval: '200 ms' } });

const CONSOLE = consoleStages<CorporateAccountStage>({
  DEPOSITING: ['打款中', 'SYSTEM'],
  AWAITING_CONFIRMATION: ['待企业确认打款金额', 'MEMBER'],
  VERIFIED: ['已验证', 'NOBODY'],
  FAILED: ['验证失败', 'NOBODY'],
  EXPIRED: ['已过期', 'NOBODY'],
  CANCELLED: ['已取消', 'NOBODY'],
});

export const corporateAccountVerification = lettingHandlersFinish('corporateAccountVerification', verificationFlow);

async function verificationFlow(input: CorporateAccountInput): Promise<CorporateAccountOutcome> {
  const status: CorporateAccountStatus = { stage: 'DEPOSITING', triesLeft: DEPOSIT_TRIES, confirmBy: null, failureReason: null };
  setHandler(corporateAccountStatusQuery, () => ({ ...status }));
  const ended = () => status.stage === 'VERIFIED' || status.stage === 'FAILED' || status.stage === 'EXPIRED' || status.stage === 'CANCELLED';
  const cancel = cancellation(
    () => ended() && 'flow.finished',
    () => ({ stage: status.stage }),
  );
  const consoleStage = () => CONSOLE(status.stage, { deadline: status.confirmBy });
  const flow = flowState({ flow: 'corporate-account', applicationId: input.applicationId, memberId: input.memberId }, consoleStage());
  const ctx = { verificationId: input.verificationId };

  // The deposit: sent once (the channel knows it by its number), then its decision awaited.
  let answer = await channel.sendSmallDeposit(ctx);
  let waited = 0;
  for (let i = 0; answer.status === 'PROCESSING' && waited < CHANNEL_DECISION_TIMEOUT_MS; i++) {
    const pause = QUERY_INTERVALS_MS[Math.min(i, QUERY_INTERVALS_MS.length - 1)]!;
    // An operator's 取消 stops the waiting: the deposit still undecided is closed at the channel below.
    if (await condition(() => cancel.reason() !== null, pause)) break;
    waited += pause;
    answer = await channel.queryDepositAtChannel(ctx);
  }
  if (answer.status === 'PROCESSING') answer = await channel.closeDepositAtChannel(ctx);

  const finish = async (stage: 'VERIFIED' | 'FAILED' | 'EXPIRED' | 'CANCELLED', reason: string | null) => {
    status.stage = stage;
    status.failureReason = reason;
    await flow.step('finishCorporateAccount', () => store.finishCorporateAccount({ ...ctx, stage, reason }));
    await flow.report(consoleStage());
    return stage;
  };
  if (cancel.reason() !== null) return finish('CANCELLED', `已取消：${cancel.reason()}`);
  if (answer.status !== 'SUCCESS') return finish('FAILED', answer.failureReason ?? '打款未成功');

  // Arrived: the enterprise confirms the amount before the deadline.
  status.stage = 'AWAITING_CONFIRMATION';
  status.confirmBy = new Date(Date.now() + input.confirmWithinMs).toISOString();
  await store.awaitDepositConfirmation({ ...ctx, confirmBy: status.confirmBy });
  await flow.report(consoleStage());

  let busy = false;
  setHandler(
    confirmDepositUpdate,
    async ({ amountFen }) => {
      busy = true;
      try {
        let result;
        try {
          result = await check.checkDepositAmount({ ...ctx, amountFen });
        } catch (err) {
          throw businessFailure(err);
        }
        status.triesLeft = result.triesLeft;
        if (result.outcome === 'VERIFIED') status.stage = 'VERIFIED';
        else if (result.outcome === 'FAILED') {
          status.stage = 'FAILED';
          status.failureReason = TRIES_EXHAUSTED;
          fail('corporate_account.tries_exhausted', `打款金额不正确，${TRIES_EXHAUSTED}，验证失败`);
        } else
          throw ApplicationFailure.create({
            type: 'corporate_account.amount_wrong',
            message: `打款金额不正确，还可尝试${result.triesLeft}次`,
            details: [{ triesLeft: result.triesLeft }],
            nonRetryable: true,
          });
        return { ...status };
      } finally {
        busy = false;
      }
    },
    {
      validator: refuse(() => {
        if (ended() || cancel.reason() !== null) return 'flow.finished';
        if (busy) return 'corporate_account.busy';
        return null;
      }),
    },
  );
  await condition(() => ended() || cancel.reason() !== null, input.confirmWithinMs);
  await condition(() => !busy);
  // The confirmation handler moved the stage (the compiler cannot see it).
  const decided = status.stage as CorporateAccountStage;
  if (decided === 'VERIFIED' || decided === 'FAILED') {
    await flow.report(consoleStage());
    return decided;
  }
  if (cancel.reason() !== null) return finish('CANCELLED', `已取消：${cancel.reason()}`);
  return finish('EXPIRED', `未在${Math.round(input.confirmWithinMs / 3_600_000)}小时内确认打款金额`);
}
