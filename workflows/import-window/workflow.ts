/**
 * The batch-import window of an application (SPEC F4): closed by default;
 * staff request it with a reason, a reviewer decides, and an approved window
 * stays open for 14 natural days and closes by itself. An operator may close
 * it early or extend it (never past 28 days from opening); all audited. The
 * console's generic 取消 / 延期 are the same two actions.
 */
import { proxyActivities, setHandler } from '@temporalio/workflow';
import { untilDoneOrDeadline } from '../deadlines';
import { lettingHandlersFinish } from '../handlers';
import type { Activities } from '../../activities';
import { UNTIL_DONE } from '../retry-policies';
import { businessFailure, refusalsOf } from '../failures';
import { consoleStages, flowState } from '../flow-state';
import { type OperatorRequest, cancelFlowUpdate, extendDeadlineUpdate } from '../operator-messages';
import { awaitReview } from '../review';
import {
  IMPORT_WINDOW_DAYS,
  IMPORT_WINDOW_MAX_DAYS,
  type ImportWindowInput,
  type ImportWindowStatus,
  type OperatorAction,
  closeWindowUpdate,
  extendWindowUpdate,
  importWindowStatusQuery,
} from './messages';

const refuse = refusalsOf('import');

const DAY = 24 * 3600 * 1000;

const acts = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: UNTIL_DONE });

const CONSOLE = consoleStages<ImportWindowStatus['stage']>({
  IN_REVIEW: ['待审核', 'REVIEWER'],
  OPEN: ['入口开放中', 'PLATFORM'],
  REJECTED: ['审核驳回', 'NOBODY'],
  CLOSED: ['已关闭', 'NOBODY'],
});

/** Waits for running handlers before it returns or continues as new. */
export const importWindow = lettingHandlersFinish('importWindow', importWindowFlow);

async function importWindowFlow(input: ImportWindowInput): Promise<'REJECTED' | 'CLOSED'> {
  let stage: ImportWindowStatus['stage'] = 'IN_REVIEW';
  let openedAt = 0;
  let deadline = 0;
  // Set by the close handler; read after the wait (hence the explicit type).
  let closing = null as { note: string } | null;
  const status = (): ImportWindowStatus => ({ stage, closesAt: deadline ? new Date(deadline).toISOString() : null });
  setHandler(importWindowStatusQuery, status);

  const consoleStage = () => CONSOLE(stage, { deadline: deadline ? new Date(deadline).toISOString() : null });
  const flow = flowState({ flow: 'import-window', applicationId: input.applicationId ?? null }, consoleStage());

  const extend = async ({ days, operatorId, reason }: OperatorRequest & { days: number }) => {
    const next = deadline + days * DAY;
    try {
      await acts.extendImportWindow({ windowId: input.windowId, closesAt: new Date(next).toISOString(), days, operatorId, reason });
    } catch (err) {
      throw businessFailure(err);
    }
    deadline = next;
    void flow.report(consoleStage());
    return status();
  };
  const refuseUnlessOpen = refuse(() => (stage !== 'OPEN' || closing !== null) && 'import.window_not_open');
  const validateExtension = refuse(
    ({ days }: { days: number }) =>
      ((stage !== 'OPEN' || closing !== null) && 'import.window_not_open') ||
      ((!Number.isInteger(days) || days < 1 || days > IMPORT_WINDOW_DAYS) && ['request.invalid', '延期天数须为1到14天']) ||
      (deadline + days * DAY - openedAt > IMPORT_WINDOW_MAX_DAYS * DAY && 'import.extension_too_long'),
  );
  setHandler(extendWindowUpdate, extend, { validator: validateExtension });
  setHandler(
    extendDeadlineUpdate,
    async (req) => {
      const answer = await extend(req);
      return { stage: answer.stage, deadline: answer.closesAt! };
    },
    { validator: validateExtension },
  );

  const close = async ({ operatorId, reason }: OperatorAction) => {
    closing = { note: `运营人员提前关闭：${reason}` };
    await acts.auditImportWindow({ windowId: input.windowId, operatorId, action: 'import-window.close', reason });
    const answer: ImportWindowStatus = { ...status(), stage: 'CLOSED' };
    return answer;
  };
  setHandler(closeWindowUpdate, close, { validator: refuseUnlessOpen });
  // 取消: before the decision the request is withdrawn; once open, the window closes early.
  setHandler(
    cancelFlowUpdate,
    async (req) => {
      if (stage === 'IN_REVIEW') {
        closing = { note: `运营人员取消申请：${req.reason}` };
        return { stage };
      }
      return { stage: (await close(req)).stage };
    },
    { validator: refuse(() => (closing !== null || (stage !== 'IN_REVIEW' && stage !== 'OPEN')) && 'flow.finished') },
  );

  const decision = await awaitReview(input.reviewItemId, () => closing?.note ?? null);
  if (decision === null || !decision.approve) {
    stage = decision === null ? 'CLOSED' : 'REJECTED';
    await acts.rejectImportWindow({ windowId: input.windowId, reason: decision?.reason ?? closing!.note, withdrawn: decision === null });
    await flow.report(consoleStage());
    return stage;
  }
  openedAt = Date.now();
  deadline = openedAt + IMPORT_WINDOW_DAYS * DAY;
  await acts.openImportWindow({ windowId: input.windowId, openedAt: new Date(openedAt).toISOString(), closesAt: new Date(deadline).toISOString() });
  stage = 'OPEN';
  void flow.report(consoleStage());

  // Sleep until the deadline; an extension moves it, an early close ends it.
  await untilDoneOrDeadline(
    () => closing !== null,
    () => deadline,
  );
  stage = 'CLOSED';
  await acts.closeImportWindow({ windowId: input.windowId, note: closing?.note ?? `${IMPORT_WINDOW_DAYS}个自然日开放期已到，入口自动关闭` });
  await flow.report(consoleStage());
  return 'CLOSED';
}
