/**
 * The bare engine the onboarding benchmark is measured against: a workflow that answers
 * Updates with nothing, or with one local activity, and one that ends at once (for the bare
 * start rate). No business code, no database.
 */
import { condition, defineUpdate, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type * as activities from './activities';

export const noopUpdate = defineUpdate<number, [number]>('noop');
export const localActivityUpdate = defineUpdate<number, [number]>('localActivity');

const { touch } = proxyLocalActivities<typeof activities>({ startToCloseTimeout: '10 seconds' });

export async function bareEngine(): Promise<void> {
  let answered = 0;
  setHandler(noopUpdate, (n) => n + ++answered);
  setHandler(localActivityUpdate, async (n) => (await touch(n)) + ++answered);
  await condition(() => false);
}

export async function bareStart(): Promise<void> {
  // Nothing: the start itself is what is measured.
}
