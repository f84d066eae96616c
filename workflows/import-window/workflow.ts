/**
 * The batch-import window of an application (SPEC F4): closed by default;
 * staff request it with a reason, a reviewer decides, and an approved window
 * stays open for 14 natural days and closes by itself. An operator may close
 * it early or extend it (never past 28 days from opening); all audited.
 */
import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { businessFailure, fail } from '../failures';
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

const DAY = 24 * 3600 * 1000;

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export async function importWindow(input: ImportWindowInput): Promise<'REJECTED' | 'CLOSED'> {
  let stage: ImportWindowStatus['stage'] = 'IN_REVIEW';
  let openedAt = 0;
  let deadline = 0;
  // Set by the close handler; read after the wait (hence the explicit type).
  let closing = null as { note: string } | null;
  const status = (): ImportWindowStatus => ({ stage, closesAt: deadline ? new Date(deadline).toISOString() : null });
  setHandler(importWindowStatusQuery, status);

  setHandler(
    extendWindowUpdate,
    async ({ days, operatorId, reason }) => {
      const next = deadline + days * DAY;
      try {
        await acts.extendImportWindow({ windowId: input.windowId, closesAt: new Date(next).toISOString(), days, operatorId, reason });
      } catch (err) {
        throw businessFailure(err);
      }
      deadline = next;
      return status();
    },
    {
      validator: ({ days }) => {
        if (stage !== 'OPEN' || closing) fail('import.window_not_open');
        if (!Number.isInteger(days) || days < 1 || days > IMPORT_WINDOW_DAYS) fail('request.invalid', '延期天数须为1到14天');
        if (deadline + days * DAY - openedAt > IMPORT_WINDOW_MAX_DAYS * DAY) fail('import.extension_too_long');
      },
    },
  );
  setHandler(
    closeWindowUpdate,
    async ({ operatorId, reason }) => {
      closing = { note: `运营人员提前关闭：${reason}` };
      await acts.auditImportWindow({ windowId: input.windowId, operatorId, action: 'import-window.close', reason });
      const answer: ImportWindowStatus = { ...status(), stage: 'CLOSED' };
      return answer;
    },
    {
      validator: (_action: OperatorAction) => {
        if (stage !== 'OPEN' || closing) fail('import.window_not_open');
      },
    },
  );

  const decision = await awaitReview(input.reviewItemId);
  if (!decision.approve) {
    stage = 'REJECTED';
    await acts.rejectImportWindow({ windowId: input.windowId, reason: decision.reason });
    return 'REJECTED';
  }
  openedAt = Date.now();
  deadline = openedAt + IMPORT_WINDOW_DAYS * DAY;
  await acts.openImportWindow({ windowId: input.windowId, openedAt: new Date(openedAt).toISOString(), closesAt: new Date(deadline).toISOString() });
  stage = 'OPEN';

  // Sleep until the deadline; an extension moves it, an early close ends it.
  for (;;) {
    const target = deadline;
    await condition(() => closing !== null || deadline !== target, Math.max(1, target - Date.now()));
    if (closing !== null || (deadline === target && Date.now() >= target)) break;
  }
  stage = 'CLOSED';
  await acts.closeImportWindow({ windowId: input.windowId, note: closing?.note ?? `${IMPORT_WINDOW_DAYS}个自然日开放期已到，入口自动关闭` });
  return 'CLOSED';
}
