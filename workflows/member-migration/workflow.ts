/**
 * Member migration (SPEC F5): a branch user's request → reviewer review → an
 * operator confirms the configuration (the role for migrated members is
 * created) → the application uploads the migration file → the file is
 * reviewed and executed as a batch import (child workflow) → done. A rejection
 * at either review ends the flow with nothing executed.
 */
import { condition, executeChild, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { batchImport } from '../batch-import/workflow';
import { businessFailure, fail } from '../failures';
import { importTaskWorkflowId } from '../ids';
import { awaitReview } from '../review';
import {
  type MemberMigrationInput,
  type MigrationStage,
  confirmConfigurationUpdate,
  migrationStatusQuery,
  submitMigrationFileUpdate,
} from './messages';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export async function memberMigration(input: MemberMigrationInput): Promise<'COMPLETED' | 'REJECTED'> {
  let stage: MigrationStage = 'IN_REVIEW';
  let file: { taskId: string; reviewItemId: string; totalRows: number } | null = null;
  setHandler(migrationStatusQuery, () => ({ stage, taskId: file?.taskId ?? null }));

  // Every handler is there from the start; each refuses what its stage does not allow.
  setHandler(
    confirmConfigurationUpdate,
    async ({ operatorId }) => {
      try {
        await acts.configureMigration({ migrationId: input.migrationId, operatorId });
      } catch (err) {
        throw businessFailure(err);
      }
      stage = 'AWAITING_FILE';
      return { stage };
    },
    { validator: (_req: { operatorId: string }) => void (stage !== 'AWAITING_CONFIGURATION' && fail('migration.wrong_state')) },
  );
  setHandler(
    submitMigrationFileUpdate,
    (submitted) => {
      file = submitted;
      stage = 'FILE';
      return { stage };
    },
    { validator: (_file: { taskId: string }) => void (stage !== 'AWAITING_FILE' && fail('migration.wrong_state')) },
  );
  const decision = await awaitReview(input.reviewItemId);
  if (!decision.approve) {
    stage = 'REJECTED';
    await acts.setMigrationStatus({ migrationId: input.migrationId, status: 'REJECTED', reason: decision.reason });
    return 'REJECTED';
  }
  stage = 'AWAITING_CONFIGURATION';
  await acts.setMigrationStatus({ migrationId: input.migrationId, status: 'AWAITING_CONFIGURATION' });

  await condition(() => file !== null);

  const outcome = await executeChild(batchImport, {
    workflowId: importTaskWorkflowId(file!.taskId),
    args: [{ taskId: file!.taskId, reviewItemId: file!.reviewItemId, totalRows: file!.totalRows }],
  });
  stage = outcome;
  return outcome;
}
