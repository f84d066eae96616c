/**
 * How the flows retry their activities, by what a failure means for the flow. Named once, so a
 * flow's proxies say which kind of step they are rather than repeating the numbers.
 */
import type { RetryPolicy } from '@temporalio/common';

/** Database and local-system steps: 2 s doubling to 5 minutes, for as long as it takes. */
export const UNTIL_DONE: RetryPolicy = { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' };

/** Waves of a batch: after ten attempts (about half an hour) the wave waits for an operator's 重试. */
export const THEN_OPERATOR: RetryPolicy = { ...UNTIL_DONE, maximumAttempts: 10 };
