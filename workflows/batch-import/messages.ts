/** Messages of a batch import task (会员批导 / the file stage of 会员迁移). */
import { defineQuery } from '@temporalio/workflow';
import { workflowRef } from '../workflow-ref';
import type { batchImport as workflow } from './workflow';

export interface BatchImportInput {
  taskId: string;
  reviewItemId: string;
  totalRows: number;
  /** The application, for the operator console (absent in flows started before it). */
  applicationId?: string;
  /** Set by continue-as-new: the review is done and rows before nextRow are executed. */
  approved?: boolean;
  nextRow?: number;
}

export interface BatchImportStatus {
  stage: 'IN_REVIEW' | 'EXECUTING' | 'COMPLETED' | 'REJECTED';
  executedRows: number;
  totalRows: number;
}

export const batchImportStatusQuery = defineQuery<BatchImportStatus>('status');

/** The workflow as the API starts it (typed by the workflow, without loading its code). */
export const batchImportWorkflow = workflowRef<typeof workflow>('batchImport');
