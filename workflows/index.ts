/** Every workflow the worker runs, one file per business flow. */
export { memberOnboarding } from './member-onboarding/workflow';
