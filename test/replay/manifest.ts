/**
 * Every workflow type × path the replay corpus must hold (test/replay/histories/<type>/<path>.json).
 * A new workflow path adds its pair here and a keepHistory() call in the workflow test that
 * drives it; `npm run histories:capture` then records it from the code as it is.
 */
export const REPLAY_MANIFEST = {
  memberOnboarding: [
    'individual-completed',
    'left-and-resumed-completed',
    'wrong-code-resent-completed',
    'enterprise-steps-cancelled',
    'four-elements-refused-cancelled',
    'expired',
    'expired-by-validity',
    'reissued-cancelled',
    'proxy-rotated-confirmed-completed',
    'proxy-expired',
    'reminder-sent-expired',
    'reminded-at-half-validity-expired',
    'extended-expired',
    'sms-resent-cancelled-by-operator',
    'cancelled-by-operator',
    'closing-step-failed-retried',
    'one-activity-individual-completed',
    'one-activity-left-and-resumed-completed',
    'one-activity-four-elements-refused-cancelled',
    'one-activity-wrong-code-resent-completed',
    'one-activity-proxy-confirmed-completed',
    'vendor-waited-completed',
    'vendor-waited-refused-resubmitted-expired',
    'enterprise-company-reopened-cancelled',
    'enterprise-asked-once-steps-cancelled',
    'enterprise-asked-once-company-reopened-cancelled',
    'enterprise-vendor-waited-company-reopened-cancelled',
    'proxy-enterprise-vendor-waited-confirmed-cancelled',
    'proxy-vendor-waited-confirmed-cancelled',
    'proxy-vendor-refused-cancelled',
  ],
  signingLinkBatch: ['sent-reminded-expired', 'cancelled-while-signing', 'continued-as-new', 'short-validity-reminded-at-half', 'all-signed-early'],
  splitRuleSigning: ['reminded-resent-signed', 'continued-as-new'],
  importWindow: ['extended-closed-by-itself', 'rejected', 'closed-early', 'withdrawn', 'closed-early-while-audit-runs'],
  batchImport: ['executed-continued-as-new', 'rejected', 'withdrawn'],
  memberMigration: ['completed', 'rejected', 'cancelled-awaiting-file'],
  monthlyStatements: ['generated-monthly', 'rejected', 'continued-as-new'],
  applicationOnboarding: [
    'returned-resubmitted-live',
    'returned-extended-lapsed',
    'cancelled-before-decision',
    'cancelled-after-activation',
    'environments-returned-resubmitted-live',
    'environments-cancelled-after-activation',
  ],
  memberEventDelivery: ['delivered-stopped', 'continued-as-new'],
  dataOverviewRefresh: ['completed'],
  dailyClose: ['closed', 'mismatch-failed'],
  dailySettlement: ['settled'],
  autoWithdrawals: ['started-children'],
  paymentOrder: [
    'succeeded-after-queries',
    'failed-at-once',
    'closed-after-timeout',
    'decided-while-closing',
    'guarantee-confirmed-after-period',
    'result-sent-after-decision',
    'result-callback-given-up',
    'guarantee-with-result-callback',
  ],
  corporateAccountVerification: ['verified-after-wrong-amount', 'tries-exhausted', 'expired', 'deposit-refused', 'cancelled-awaiting-confirmation'],
} as const;

export type WorkflowTypeName = keyof typeof REPLAY_MANIFEST;
export type ReplayPath = (typeof REPLAY_MANIFEST)[WorkflowTypeName][number];

export function isManifestPair(workflowType: string, replayPath: string): boolean {
  const paths = (REPLAY_MANIFEST as Record<string, readonly string[]>)[workflowType];
  return !!paths && paths.includes(replayPath);
}
