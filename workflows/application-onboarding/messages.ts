/** Messages of the application onboarding and go-live workflow (SPEC F7). */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { workflowRef } from '../workflow-ref';
import type { applicationOnboarding as workflow } from './workflow';
import type { ApplicationOnboardingStatus } from '../../domain/application-onboarding';

export interface ApplicationOnboardingInput {
  onboardingId: string;
  customerName: string;
  /** The branch user who submitted the first round. */
  submittedById: string;
}

export interface ApplicationOnboardingView {
  stage: ApplicationOnboardingStatus;
  /** The review item now waiting for a reviewer, if any. */
  reviewItemId: string | null;
  /** The production environment, once made (at 上线投产; before environments, at activation). */
  applicationId: string | null;
  appNo: string | null;
  /** The test environment, made at 自动开通配置 (null in flows activated before environments). */
  testApplicationId: string | null;
  testAppNo: string | null;
  /** While RETURNED: the corrected material must be submitted before this. */
  resubmitBy: string | null;
  onboardingRounds: number;
  goLiveRounds: number;
}

export interface BranchAction {
  userId: string;
}

export const applicationOnboardingStatusQuery = defineQuery<ApplicationOnboardingView>('status');
/** The branch submits the corrected onboarding material after a return (the API checked the checklist). */
export const resubmitMaterialsUpdate = defineUpdate<{ stage: ApplicationOnboardingStatus }, [BranchAction]>('resubmitMaterials');
/** The branch submits the go-live material (application form and test report). */
export const submitGoLiveUpdate = defineUpdate<{ stage: ApplicationOnboardingStatus }, [BranchAction]>('submitGoLive');

/** The workflow as the API starts it (typed by the workflow, without loading its code). */
export const applicationOnboardingWorkflow = workflowRef<typeof workflow>('applicationOnboarding');
