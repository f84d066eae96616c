/** Messages of the batch signing-link workflow (SPEC F3, 收单商户管理 → 批量发送签约链接). */
import { defineQuery } from '@temporalio/workflow';
import { workflowRef } from '../workflow-ref';
import type { signingLinkBatch as workflow } from './workflow';

export interface SigningBatchInput {
  batchId: string;
  /** Number of selected members (items 0 … total-1). */
  total: number;
  validityMs: number;
  /** The application, for the operator console (absent in batches started before it). */
  applicationId?: string;
  /** Where this run starts (continue-as-new carries it and the counts so far). */
  nextSeq?: number;
  counted?: SigningBatchProgress;
}

export interface SigningBatchProgress {
  processed: number;
  sent: number;
  skipped: number;
}

export interface SigningBatchStatus extends SigningBatchProgress {
  total: number;
  stage: 'SENDING' | 'WAITING_FOR_SIGNATURES' | 'DONE' | 'CANCELLED';
  expiresAt: string | null;
}

export const signingBatchStatusQuery = defineQuery<SigningBatchStatus>('status');

/** The workflow as the API starts it (typed by the workflow, without loading its code). */
export const signingLinkBatchWorkflow = workflowRef<typeof workflow>('signingLinkBatch');
