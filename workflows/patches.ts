/**
 * The patches of shipped workflow code (README, "Changing workflow code that has shipped"): one
 * constant per change, so a grep finds every branch a patch guards before it is retired.
 */

/** Reminders follow domain/validity.ts reminderAt (none under 12 h, never before half the validity). */
export const REMINDER_RULE_PATCH = 'reminder-rule';

/** A signing batch looks at its links every hour while it waits, and ends as soon as every member signed. */
export const BATCH_ENDS_WHEN_ALL_SIGNED_PATCH = 'batch-ends-when-all-signed';

/**
 * A member's action is one local activity: real-name verifies and saves in one, and the stage change
 * the console shows is written by the action's own activity (no separate flow-state report).
 */
export const MEMBER_ACTION_ONE_ACTIVITY_PATCH = 'member-action-one-activity';

/**
 * 认证中: when the verification vendor gives no verdict while the member waits, the flow keeps the
 * submission, answers the page at once and asks the vendor again by itself (domain/onboarding.ts).
 */
export const REAL_NAME_WAITS_FOR_VENDOR_PATCH = 'real-name-waits-for-vendor';

/** 企业四要素 at 法人信息: a company that does not match opens 企业基本信息 again. */
export const ENTERPRISE_VERIFICATION_PATCH = 'enterprise-verification';

/**
 * 认证中 for enterprises: 法人信息 asks the vendor once while the member waits; without a verdict the
 * flow keeps the submission and asks again by itself, as for a person's 实名信息.
 */
export const ENTERPRISE_WAITS_FOR_VENDOR_PATCH = 'enterprise-waits-for-vendor';
