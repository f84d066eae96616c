/**
 * Member migration (SPEC F5): a branch user's request → reviewer review → an
 * operator confirms the configuration (the role for migrated members is
 * created) → the application uploads the migration file → the file is
 * reviewed and executed as a batch import (child workflow) → done. A rejection
 * at either review ends the flow with nothing executed; so does an operator's
 * 取消 before the file is submitted.
 */
import { condition, executeChild, proxyActivities, setHandler } from '@temporalio/workflow';
import { lettingHandlersFinish } from '../handlers';
import type { Activities } from '../../activities';
import { UNTIL_DONE } from '../retry-policies';
import { batchImport } from '../batch-import/workflow';
import { cancellation } from '../cancellation';
import { businessFailure, refusalsOf } from '../failures';
import { consoleStages, flowState } from '../flow-state';
import { importTaskWorkflowId } from '../ids';
import { awaitReview } from '../review';
import { type MemberMigrationInput, type MigrationStage, confirmConfigurationUpdate, migrationStatusQuery, submitMigrationFileUpdate } from './messages';

const refuse = refusalsOf('migration');

const acts = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: UNTIL_DONE });

const CONSOLE = consoleStages<MigrationStage>({
  IN_REVIEW: ['迁移申请待审核', 'REVIEWER'],
  AWAITING_CONFIGURATION: ['待运营确认配置', 'OPERATOR'],
  AWAITING_FILE: ['待应用上传迁移文件', 'PLATFORM'],
  FILE: ['迁移文件审核与执行', 'SYSTEM'],
  COMPLETED: ['已完成', 'NOBODY'],
  REJECTED: ['已驳回', 'NOBODY'],
});

/** Waits for running handlers before it returns or continues as new. */
export const memberMigration = lettingHandlersFinish('memberMigration', memberMigrationFlow);

async function memberMigrationFlow(input: MemberMigrationInput): Promise<'COMPLETED' | 'REJECTED'> {
  let stage: MigrationStage = 'IN_REVIEW';
  // Set by the submit handler (hence the explicit type).
  let file = null as { taskId: string; reviewItemId: string; totalRows: number } | null;
  setHandler(migrationStatusQuery, () => ({ stage, taskId: file?.taskId ?? null }));

  const cancel = cancellation(
    () =>
      ((stage === 'COMPLETED' || stage === 'REJECTED') && 'flow.finished') ||
      (stage === 'FILE' && ['flow.not_cancellable', '迁移文件已提交，请在审核队列中驳回']),
    () => ({ stage }),
  );
  const consoleStage = () => CONSOLE(stage, cancel.reason() !== null && stage === 'REJECTED' ? { label: '已取消' } : {});
  const flow = flowState({ flow: 'member-migration', applicationId: input.applicationId ?? null }, consoleStage());
  const enter = (next: MigrationStage) => {
    stage = next;
    void flow.report(consoleStage());
  };

  // Every handler is there from the start; each refuses what its stage does not allow.
  const inStage = (wanted: MigrationStage) => refuse(() => (stage !== wanted || cancel.reason() !== null) && 'migration.wrong_state');
  setHandler(
    confirmConfigurationUpdate,
    async ({ operatorId }) => {
      try {
        await acts.configureMigration({ migrationId: input.migrationId, operatorId });
      } catch (err) {
        throw businessFailure(err);
      }
      enter('AWAITING_FILE');
      return { stage };
    },
    { validator: inStage('AWAITING_CONFIGURATION') },
  );
  setHandler(
    submitMigrationFileUpdate,
    (submitted) => {
      file = submitted;
      enter('FILE');
      return { stage };
    },
    { validator: inStage('AWAITING_FILE') },
  );

  const endCancelled = async () => {
    await acts.setMigrationStatus({ migrationId: input.migrationId, status: 'REJECTED', reason: cancel.reason()!, cancelled: true });
    stage = 'REJECTED';
    await flow.report(consoleStage());
    return 'REJECTED' as const;
  };

  const decision = await awaitReview(input.reviewItemId, cancel.reason);
  if (decision === null) return endCancelled();
  if (!decision.approve) {
    stage = 'REJECTED';
    await acts.setMigrationStatus({ migrationId: input.migrationId, status: 'REJECTED', reason: decision.reason });
    await flow.report(consoleStage());
    return 'REJECTED';
  }
  await acts.setMigrationStatus({ migrationId: input.migrationId, status: 'AWAITING_CONFIGURATION' });
  enter('AWAITING_CONFIGURATION');

  await condition(() => file !== null || cancel.reason() !== null);
  if (file === null) return endCancelled();

  const outcome = await executeChild(batchImport, {
    workflowId: importTaskWorkflowId(file!.taskId),
    args: [{ taskId: file!.taskId, reviewItemId: file!.reviewItemId, totalRows: file!.totalRows, applicationId: input.applicationId }],
  });
  stage = outcome;
  await flow.report(consoleStage());
  return outcome;
}
