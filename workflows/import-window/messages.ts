/** Messages of the import window workflow (会员批导入口: request → review → 14 days open). */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { workflowRef } from '../workflow-ref';
import type { importWindow as workflow } from './workflow';

export interface ImportWindowInput {
  windowId: string;
  reviewItemId: string;
  /** The application, for the operator console (absent in flows started before it). */
  applicationId?: string;
}

export interface ImportWindowStatus {
  stage: 'IN_REVIEW' | 'OPEN' | 'REJECTED' | 'CLOSED';
  closesAt: string | null;
}

export interface OperatorAction {
  operatorId: string;
  reason: string;
}

export const importWindowStatusQuery = defineQuery<ImportWindowStatus>('status');
/** An operator extends the open window by some days (validated: open, total ≤ 28 days). */
export const extendWindowUpdate = defineUpdate<ImportWindowStatus, [OperatorAction & { days: number }]>('extendWindow');
/** An operator closes the window early. */
export const closeWindowUpdate = defineUpdate<ImportWindowStatus, [OperatorAction]>('closeWindow');

export const IMPORT_WINDOW_DAYS = 14;
export const IMPORT_WINDOW_MAX_DAYS = 28;

/** The workflow as the API starts it (typed by the workflow, without loading its code). */
export const importWindowWorkflow = workflowRef<typeof workflow>('importWindow');
