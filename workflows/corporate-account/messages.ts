/**
 * Messages of the corporate account verification (对公户小额打款验证): its input, its status, and the
 * enterprise's confirmation of the amount. The API imports only this file.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CorporateAccountStage } from '../../domain/corporate-accounts';
import { workflowRef } from '../workflow-ref';
import type { corporateAccountVerification as workflow } from './workflow';

export interface CorporateAccountInput {
  verificationId: string;
  memberId: string;
  applicationId: string;
  /** How long the enterprise has to confirm, from the deposit's arrival (DEPOSIT_CONFIRM_HOURS). */
  confirmWithinMs: number;
}

export interface CorporateAccountStatus {
  stage: CorporateAccountStage;
  triesLeft: number;
  /** ISO time: the amount must be confirmed before it (set once the deposit arrived). */
  confirmBy: string | null;
  failureReason: string | null;
}

export type CorporateAccountOutcome = 'VERIFIED' | 'FAILED' | 'EXPIRED' | 'CANCELLED';

export const corporateAccountStatusQuery = defineQuery<CorporateAccountStatus>('corporateAccountStatus');

/** The enterprise confirms the amount it received; a wrong one costs a try. */
export const confirmDepositUpdate = defineUpdate<CorporateAccountStatus, [{ amountFen: number }]>('confirmDeposit');

export const corporateAccountWorkflow = workflowRef<typeof workflow>('corporateAccountVerification');
