/**
 * Login password rules (SPEC "Login and accounts"): at least 8 characters
 * from at least three of four classes, never one of the last five; an initial
 * password must be changed at first login. Repeated failures lock the account
 * for a while; a password reset unlocks it. No I/O: the web forms use it too.
 */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MIN_CLASSES = 3;
export const PASSWORD_HISTORY = 5;
export const MAX_FAILED_LOGINS = 5;
export const LOCK_MS = 30 * 60 * 1000;

const CLASSES = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/];

/** Why a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `密码至少${PASSWORD_MIN_LENGTH}位`;
  if (password.length > 64) return '密码不能超过64位';
  if (/\s/.test(password)) return '密码不能包含空格';
  const classes = CLASSES.filter((c) => c.test(password)).length;
  if (classes < PASSWORD_MIN_CLASSES) return '密码须包含大写字母、小写字母、数字、符号中的至少三类';
  return null;
}
