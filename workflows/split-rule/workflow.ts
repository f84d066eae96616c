/**
 * Signing of a split-commission rule: created → links to every party; waits
 * for the parties' signatures; "协议重发" and edits send new links to whoever has
 * not signed the current terms; the rule takes effect when all have signed.
 * Started (or signalled) with signalWithStart, so one workflow id serves the
 * rule for its whole life: a finished run is followed by a new one on the next edit.
 */
import { condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { continueFresh, historyLongerThan } from '../continue-as-new';
import { lettingHandlersFinish } from '../handlers';
import type { Activities } from '../../activities';
import { UNTIL_DONE } from '../retry-policies';
import { SPLIT_LINK_VALIDITY_MS, reminderAt } from '../../domain/validity';
import { flowState } from '../flow-state';
import { type OperatorRequest, resendSmsUpdate } from '../operator-messages';
import { type SplitRuleSigningInput, type SplitRuleSigningStatus, partySignedSignal, resendSignal, splitRuleStatusQuery, termsChangedSignal } from './messages';

const acts = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: UNTIL_DONE });

/** Past this many events the workflow continues as new (a rule edited and resent very often). */
const HISTORY_LIMIT = 2000;

/** Waits for running handlers before it returns or continues as new. */
export const splitRuleSigning = lettingHandlersFinish('splitRuleSigning', splitRuleSigningFlow);

async function splitRuleSigningFlow(input: SplitRuleSigningInput): Promise<'SIGNED'> {
  // Signals that arrive with signalWithStart are handled before the loop runs;
  // a fresh run sends the first round whatever they were.
  let sendRequested = !input.resumed;
  let recount = !!input.resumed;
  let unsigned: number | null = null;
  let rounds = 0;
  let signed = false;
  setHandler(partySignedSignal, () => void (recount = true));
  setHandler(resendSignal, () => void (sendRequested = true));
  setHandler(termsChangedSignal, () => void (sendRequested = true));
  setHandler(splitRuleStatusQuery, (): SplitRuleSigningStatus => ({ unsigned, rounds, signed }));
  // 重发短信 from the console is the portal's 协议重发: new links to whoever has not signed.
  setHandler(resendSmsUpdate, (_req: OperatorRequest) => {
    sendRequested = true;
    return { stage: 'WAITING_FOR_SIGNATURES', sentTo: null };
  });

  const flow = flowState(
    { flow: 'split-rule', applicationId: input.applicationId ?? null },
    { stage: 'SENDING', stageLabel: '发送签约链接', waitingFor: 'SYSTEM' },
  );

  const { runId } = workflowInfo();
  // When this round's links get their reminder (a day before they expire); null once sent.
  let remindAt: number | null = null;
  for (;;) {
    if (sendRequested) {
      sendRequested = false;
      recount = false;
      rounds++;
      unsigned = (await acts.sendSplitRuleLinks({ ruleId: input.ruleId, round: `${runId}:${rounds}` })).unsigned;
      // The reminder rule gives deadline − 24 h for a 7-day link, the same instant as before the rule.
      remindAt = reminderAt(Date.now(), Date.now() + SPLIT_LINK_VALIDITY_MS);
    } else if (recount) {
      recount = false;
      unsigned = await acts.splitRuleUnsignedCount({ ruleId: input.ruleId });
    }
    if (unsigned === 0 && (await acts.markSplitRuleSigned({ ruleId: input.ruleId }))) {
      signed = true;
      await flow.report({ stage: 'SIGNED', stageLabel: '各方已签约，规则生效', waitingFor: 'NOBODY', closed: true });
      return 'SIGNED';
    }
    void flow.report({ stage: 'WAITING_FOR_SIGNATURES', stageLabel: `等待${unsigned ?? ''}方签约`, waitingFor: 'MEMBER' });
    if (remindAt !== null && !(await condition(() => sendRequested || recount, Math.max(1, remindAt - Date.now())))) {
      remindAt = null;
      await acts.remindSplitRuleLinks({ ruleId: input.ruleId });
      continue;
    }
    await condition(() => sendRequested || recount);
    if (historyLongerThan(HISTORY_LIMIT)) await continueFresh<typeof splitRuleSigning>(flow, { ...input, resumed: !sendRequested });
  }
}
