/**
 * The one clock the app's calendar decisions read: default query ranges, business days,
 * statement months, link and window expiry, "stuck for N days". Elapsed-time measurements
 * (timeouts, rate limits) keep using the real clock; workflows use their own deterministic
 * time and receive durations, never instants computed here.
 *
 * TEST_NOW (an ISO instant) shifts it for a test run: the clock reads TEST_NOW at the moment
 * TEST_CLOCK_ANCHOR (epoch ms) and runs on at real speed from there. The first process that
 * reads TEST_NOW without an anchor sets the anchor in its environment, so the processes it
 * starts (test workers, the Temporal worker) agree with it to the millisecond.
 */
export interface Clock {
  now(): Date;
  /**
   * An instant of the system's time (what workflows and Temporal count in) as the app's clock
   * reads it: the same instant in production, shifted by TEST_NOW in a shifted test run.
   * Activities store the deadlines workflows compute through it.
   */
  fromSystemTime(at: Date | string): Date;
}

export class ClockConfigError extends Error {}

/** The real clock, or the shifted one when TEST_NOW is set. */
export function systemClock(env: NodeJS.ProcessEnv = process.env): Clock {
  const shifted = env.TEST_NOW;
  if (!shifted) return { now: () => new Date(), fromSystemTime: (at) => new Date(at) };
  const target = Date.parse(shifted);
  if (Number.isNaN(target)) throw new ClockConfigError(`TEST_NOW is not an ISO instant: ${shifted}`);
  env.TEST_CLOCK_ANCHOR ??= String(Date.now());
  const anchor = Number(env.TEST_CLOCK_ANCHOR);
  if (!Number.isFinite(anchor)) throw new ClockConfigError(`TEST_CLOCK_ANCHOR is not epoch milliseconds: ${env.TEST_CLOCK_ANCHOR}`);
  const offset = target - anchor;
  return { now: () => new Date(Date.now() + offset), fromSystemTime: (at) => new Date(new Date(at).getTime() + offset) };
}

/** A clock that stands still at the given instant until moved (unit tests of calendar rules). */
export function fixedClock(at: Date | string): Clock & { set(at: Date | string): void } {
  let current = new Date(at);
  return {
    now: () => new Date(current),
    fromSystemTime: (instant) => new Date(instant),
    set(next) {
      current = new Date(next);
    },
  };
}
