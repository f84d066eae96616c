/**
 * Workflow ids derived from business keys: starting the same business thing
 * twice lands on the same id, which Temporal refuses to run twice.
 */
export const TASK_QUEUE = 'onboarding';

export function memberOnboardingWorkflowId(appNo: string, bizUserId: string, attempt: number): string {
  return `member-onboarding:${appNo}:${bizUserId}:${attempt}`;
}

export function signingBatchWorkflowId(appNo: string, batchId: string): string {
  return `signing-batch:${appNo}:${batchId}`;
}

export function splitRuleSigningWorkflowId(appNo: string, ruleNo: string): string {
  return `split-rule-signing:${appNo}:${ruleNo}`;
}

export function importWindowWorkflowId(appNo: string, windowId: string): string {
  return `import-window:${appNo}:${windowId}`;
}

export function importTaskWorkflowId(taskId: string): string {
  return `batch-import:${taskId}`;
}

export function memberMigrationWorkflowId(appNo: string, migrationId: string): string {
  return `member-migration:${appNo}:${migrationId}`;
}

export function monthlyStatementsWorkflowId(appNo: string, enablementId: string): string {
  return `monthly-statements:${appNo}:${enablementId}`;
}

/** One delivery workflow per application, started when its webhook is configured. */
export function memberEventDeliveryWorkflowId(appNo: string): string {
  return `member-event-delivery:${appNo}`;
}

export function applicationOnboardingWorkflowId(onboardingId: string): string {
  return `application-onboarding:${onboardingId}`;
}

/** One flow per order through the payment channel, by its 云商通订单号. */
export function paymentOrderWorkflowId(orderNo: string): string {
  return `payment-order:${orderNo}`;
}

/** One small-deposit verification of a corporate account. */
export function corporateAccountWorkflowId(appNo: string, verificationId: string): string {
  return `corporate-account:${appNo}:${verificationId}`;
}
