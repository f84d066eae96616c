/** Validity windows of onboarding links and SMS codes. */

export const ONBOARDING_LINK_VALIDITY_MS = 7 * 24 * 60 * 60 * 1000;

/** A split rule's signing links (the parties get a new one on 协议重发 or an edit). */
export const SPLIT_LINK_VALIDITY_MS = 7 * 24 * 60 * 60 * 1000;

/** How long before a link expires its member gets the one reminder SMS. */
export const REMINDER_BEFORE_EXPIRY_MS = 24 * 60 * 60 * 1000;
/** A link valid for less than this gets no reminder: it would arrive hard on the heels of the link itself. */
export const REMINDER_MIN_VALIDITY_MS = 12 * 60 * 60 * 1000;

/**
 * When the one reminder of a link goes out (batch links, split rules, onboarding): 24 hours before the
 * deadline, but never before half the validity has passed; none for a validity under 12 hours.
 */
export function reminderAt(sentAt: number, deadline: number): number | null {
  const validity = deadline - sentAt;
  if (validity < REMINDER_MIN_VALIDITY_MS) return null;
  return Math.max(sentAt + validity / 2, deadline - REMINDER_BEFORE_EXPIRY_MS);
}

export const SMS_CODE_VALIDITY_MS = 10 * 60 * 1000;
export const SMS_CODE_MAX_WRONG_TRIES = 5;
export const SMS_CODE_RESEND_COOLDOWN_MS = 60 * 1000;
/** Per scope (one onboarding session, one link, one account's reset…) in any 24 hours: codes sent, wrong codes. */
export const SMS_CODES_PER_SCOPE_PER_DAY = 10;
export const SMS_WRONG_CODES_PER_SCOPE_PER_DAY = 15;
/** A scope that reached a daily cap gets no code and accepts none for this long; its owner is told by SMS. */
export const SMS_SCOPE_LOCK_MS = 24 * 60 * 60 * 1000;

export function expiresAt(start: Date, validityMs: number): Date {
  return new Date(start.getTime() + validityMs);
}

/** A window is open from its start (inclusive) to its end (exclusive). */
export function isWithinWindow(now: Date, end: Date): boolean {
  return now.getTime() < end.getTime();
}

/** Milliseconds left before the window closes, never negative. */
export function remainingMs(now: Date, end: Date): number {
  return Math.max(0, end.getTime() - now.getTime());
}
