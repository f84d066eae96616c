/** Every workflow the worker runs, one file per business flow. */
export { memberOnboarding } from './member-onboarding/workflow';
export { signingLinkBatch } from './signing-batch/workflow';
export { splitRuleSigning } from './split-rule/workflow';
