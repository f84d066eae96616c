/** Messages of a member migration (会员迁移, SPEC F5). */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { workflowRef } from '../workflow-ref';
import type { memberMigration as workflow } from './workflow';

export interface MemberMigrationInput {
  migrationId: string;
  reviewItemId: string;
  /** The application, for the operator console (absent in flows started before it). */
  applicationId?: string;
}

export type MigrationStage = 'IN_REVIEW' | 'AWAITING_CONFIGURATION' | 'AWAITING_FILE' | 'FILE' | 'COMPLETED' | 'REJECTED';

export const migrationStatusQuery = defineQuery<{ stage: MigrationStage; taskId: string | null }>('status');
/** 运营确认配置: the operator confirms; the migrated members' role is created. */
export const confirmConfigurationUpdate = defineUpdate<{ stage: MigrationStage }, [{ operatorId: string }]>('confirmConfiguration');
/** The application submitted its validated migration file (a review item already waits for it). */
export const submitMigrationFileUpdate = defineUpdate<{ stage: MigrationStage }, [{ taskId: string; reviewItemId: string; totalRows: number }]>(
  'submitMigrationFile',
);

/** The workflow as the API starts it (typed by the workflow, without loading its code). */
export const memberMigrationWorkflow = workflowRef<typeof workflow>('memberMigration');
