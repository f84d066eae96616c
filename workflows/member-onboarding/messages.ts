/**
 * Messages of the member onboarding workflow (SPEC F1): its input, its status,
 * and the updates a member's actions become. The API imports only this file.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { workflowRef } from '../workflow-ref';
import type { memberOnboarding as workflow } from './workflow';
import type { EnterpriseElements } from '../../lib/adapters/verification';
import type { InformationStep, MemberType, OnboardingMode, OnboardingStage } from '../../domain/onboarding';

export interface MemberOnboardingInput {
  sessionId: string;
  memberId: string;
  applicationId: string;
  memberType: MemberType;
  /** PROXY: the platform entered the information; the member confirms it first (SPEC F2). */
  mode: OnboardingMode;
  /** ISO time, by the API's clock: the link's expiry as the member's page shows it (and as flows started before validityMs read it). */
  expiresAt: string;
  /**
   * How long the link lives from the workflow's start; the workflow ends then unless onboarding
   * completed (an operator may extend it). A duration, so the API's clock never moves the workflow's deadline.
   */
  validityMs?: number;
  /**
   * 平台代开户 of an individual while the verification vendor gave no verdict: the flow verifies
   * these four elements first (认证中) and sends the confirmation SMS once they pass; a mismatch
   * found then cancels the onboarding. Absent otherwise (and in flows started before it existed).
   */
  pendingRealName?: IndividualRealName;
  /** The same for an enterprise: its 企业四要素 as the platform entered them. */
  pendingEnterprise?: EnterpriseElements;
}

export interface StageChange {
  stage: OnboardingStage;
  at: string;
  note: string;
}

export interface OnboardingStatus {
  stage: OnboardingStage;
  stepsDone: InformationStep[];
  nextStep: InformationStep | null;
  waitingFor: 'member' | 'nobody';
  expiresAt: string;
  /** Masked phone the last phone-binding / signing code went to. */
  phoneCodeSentTo: string | null;
  signingCodeSentTo: string | null;
  /** Masked phone the 24-hour reminder went to, once sent. */
  reminderSentTo: string | null;
  history: StageChange[];
  /** 认证中: since when the 实名信息 waits for the verification vendor (absent in flows started before it existed). */
  verificationPendingSince?: string | null;
}

export type OnboardingOutcome = 'COMPLETED' | 'EXPIRED' | 'CANCELLED';

export interface IndividualRealName {
  name: string;
  idNumber: string;
  cardNumber: string;
  phone: string;
}

export interface CompanyInformation {
  name: string;
  creditCode: string;
  address: string;
  businessScope: string;
}

export interface LegalRepresentative {
  name: string;
  idNumber: string;
  phone: string;
}

export interface Licences {
  businessLicenceUploadId: string;
  idFrontUploadId: string;
  idBackUploadId: string;
}

/** Which phone to bind: the one already given (legal representative's / bank-reserved) or another. */
export type PhoneChoice = { source: 'ON_FILE' } | { source: 'AUTHORISED'; phone: string };

export interface CodeSent {
  sentTo: string;
  sentAt: string;
}

export const statusQuery = defineQuery<OnboardingStatus>('status');

export const submitRealNameUpdate = defineUpdate<OnboardingStatus, [IndividualRealName]>('submitRealName');
export const submitCompanyUpdate = defineUpdate<OnboardingStatus, [CompanyInformation]>('submitCompany');
export const submitLegalRepresentativeUpdate = defineUpdate<OnboardingStatus, [LegalRepresentative]>('submitLegalRepresentative');
export const submitLicencesUpdate = defineUpdate<OnboardingStatus, [Licences]>('submitLicences');

/** 确认开户 (proxy onboarding): the member confirms what the platform entered. */
export const confirmUpdate = defineUpdate<OnboardingStatus, []>('confirm');

/** Who signed from where: evidence kept with the agreement. */
export interface SigningClient {
  ip: string | null;
  userAgent: string | null;
}

export const requestPhoneCodeUpdate = defineUpdate<CodeSent, [PhoneChoice]>('requestPhoneCode');
export const bindPhoneUpdate = defineUpdate<OnboardingStatus, [{ code: string }]>('bindPhone');
export const requestSigningCodeUpdate = defineUpdate<CodeSent, []>('requestSigningCode');
export const signAgreementUpdate = defineUpdate<OnboardingStatus, [{ code: string; client?: SigningClient }]>('signAgreement');

/** The platform rotated a proxy onboarding's link: the confirmation SMS goes out again with it. */
export const linkRotatedSignal = defineSignal<[{ version: number }]>('linkRotated');

/** Operator or platform cancels an onboarding (audited by the caller). */
export const cancelSignal = defineSignal<[{ reason: string }]>('cancel');

/** The workflow as the API starts it (typed by the workflow, without loading its code). */
export const memberOnboardingWorkflow = workflowRef<typeof workflow>('memberOnboarding');
