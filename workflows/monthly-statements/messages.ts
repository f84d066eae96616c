/** Messages of 月对账单开通 (SPEC F6): apply → branch review → HQ configuration → monthly generation. */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { workflowRef } from '../workflow-ref';
import type { monthlyStatements as workflow } from './workflow';

export interface MonthlyStatementsInput {
  enablementId: string;
  reviewItemId: string;
  applicationId: string;
  /** YYYY-MM: the month of the application; earlier months are never generated. */
  appliedMonth: string;
  /** Set by continue-as-new: configured already, next month to generate. */
  nextMonth?: string;
}

export type EnablementStage = 'IN_REVIEW' | 'AWAITING_CONFIGURATION' | 'ENABLED' | 'REJECTED';

export const enablementStatusQuery = defineQuery<{ stage: EnablementStage; nextMonth: string | null; nextRunAt: string | null }>('status');
/** 总部运营配置: the operator enables the monthly statements. */
export const configureStatementsUpdate = defineUpdate<{ stage: EnablementStage }, [{ operatorId: string }]>('configureStatements');

/** The workflow as the API starts it (typed by the workflow, without loading its code). */
export const monthlyStatementsWorkflow = workflowRef<typeof workflow>('monthlyStatements');
