/**
 * The movable deadline: a flow waits until something ends the wait or its deadline passes, and an
 * operator's 延期 may move the deadline meanwhile. One loop for every flow that has one.
 */
import { condition } from '@temporalio/workflow';

/**
 * Waits until `done()` holds or `deadline()` passes, re-reading the deadline whenever a handler
 * moves it. True when `done()` ended the wait, false when the deadline passed. With `skipWhenPast`
 * a deadline already behind us ends the wait at once; otherwise the flow still waits one tick.
 */
export async function untilDoneOrDeadline(done: () => boolean, deadline: () => number, opts: { skipWhenPast?: boolean } = {}): Promise<boolean> {
  for (;;) {
    const target = deadline();
    const wait = target - Date.now();
    if (opts.skipWhenPast && wait <= 0) return false;
    if (await condition(() => done() || deadline() !== target, Math.max(1, wait))) {
      if (done()) return true;
      continue;
    }
    return false;
  }
}
