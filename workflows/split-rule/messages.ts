/** Messages of a split rule's signing workflow (SPEC 分账抽佣规则 → 协议签约). */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import { workflowRef } from '../workflow-ref';
import type { splitRuleSigning as workflow } from './workflow';

export interface SplitRuleSigningInput {
  ruleId: string;
  /** The application, for the operator console (absent in flows started before it). */
  applicationId?: string;
  /** Set by continue-as-new: the links are out already, only count again. */
  resumed?: boolean;
}

export interface SplitRuleSigningStatus {
  unsigned: number | null;
  rounds: number;
  signed: boolean;
}

/** A party signed (sent by the API after recording the signature). */
export const partySignedSignal = defineSignal('partySigned');
/** 协议重发: new links to the parties that have not signed. */
export const resendSignal = defineSignal('resend');
/** An edit changed what some parties agree to: they get new links. */
export const termsChangedSignal = defineSignal('termsChanged');

export const splitRuleStatusQuery = defineQuery<SplitRuleSigningStatus>('status');

/** The workflow as the API starts it (typed by the workflow, without loading its code). */
export const splitRuleSigningWorkflow = workflowRef<typeof workflow>('splitRuleSigning');
