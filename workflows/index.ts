/** Every workflow the worker runs, one file per business flow. */
export { applicationOnboarding } from './application-onboarding/workflow';
export { batchImport } from './batch-import/workflow';
export { dataOverviewRefresh } from './data-overview/workflow';
export { importWindow } from './import-window/workflow';
export { memberEventDelivery } from './member-event-delivery/workflow';
export { memberMigration } from './member-migration/workflow';
export { memberOnboarding } from './member-onboarding/workflow';
export { monthlyStatements } from './monthly-statements/workflow';
export { signingLinkBatch } from './signing-batch/workflow';
export { splitRuleSigning } from './split-rule/workflow';
export { paymentOrder } from './payment-order/workflow';
export { dailyClose } from './daily-close/workflow';
export { dailySettlement } from './daily-settlement/workflow';
export { autoWithdrawals } from './auto-withdrawals/workflow';
export { corporateAccountVerification } from './corporate-account/workflow';
