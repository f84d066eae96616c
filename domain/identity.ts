/**
 * Identity rules of mainland China used when members are onboarded:
 * resident ID numbers (GB 11643), unified social credit codes (GB 32100),
 * mobile phone numbers and bank card numbers.
 */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/**
 * A person's name as it is stored, hashed and verified: NFC, with the middle-dot look-alikes
 * (• U+2022, ・ U+30FB, ･ U+FF65, ‧ U+2027) written as the 间隔号 U+00B7, outer whitespace removed.
 */
export function normalisePersonName(raw: string): string {
  return raw
    .normalize('NFC')
    .replace(/[\u2022\u30FB\uFF65\u2027]/g, '\u00B7')
    .trim();
}

// Every CJK ideograph block (URO, extensions A–I, the compatibility ideographs) and 〇, Latin letters, inner spaces, 间隔号.
const PERSON_NAME =
  /^[\p{Unified_Ideograph}\u{F900}-\u{FAFF}\u{2F800}-\u{2FA1F}\u3007A-Za-z](?:[\p{Unified_Ideograph}\u{F900}-\u{FAFF}\u{2F800}-\u{2FA1F}\u3007A-Za-z ·]*[\p{Unified_Ideograph}\u{F900}-\u{FAFF}\u{2F800}-\u{2FA1F}\u3007A-Za-z])?$/u;
export const PERSON_NAME_MAX = 30;

/**
 * Why a (normalised) person's name is refused, or null. The one rule for members, legal
 * representatives, card holders, import and migration rows; lengths count code points, so 𠮷 is one.
 */
export function personNameProblem(name: string): string | null {
  const length = [...name].length;
  if (length < 2) return '姓名至少2个字';
  if (length > PERSON_NAME_MAX) return `姓名不能超过${PERSON_NAME_MAX}个字`;
  if (!PERSON_NAME.test(name)) return '姓名只能包含汉字、英文字母、空格和间隔号“·”';
  return null;
}

/** 18-digit resident ID number with a valid birth date (not in the future) and check character. */
export function isValidIdCardNumber(raw: string, asOf: Date = new Date()): boolean {
  const id = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(year, month - 1, day));
  if (year < 1900 || birth.getUTCFullYear() !== year || birth.getUTCMonth() !== month - 1 || birth.getUTCDate() !== day) {
    return false;
  }
  // Nobody is born after today (a day's grace for time zones).
  if (birth.getTime() > asOf.getTime() + 24 * 3600 * 1000) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11] === id[17];
}

/** Completes the first 17 digits of an ID number with its check character (test data, demo data). */
export function idCardCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

// GB 32100-2015: 18 characters from this alphabet (no I, O, Z, S, V).
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

function usccCheck(first17: string): string | undefined {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_ALPHABET.indexOf(first17[i]!);
    if (v < 0) return undefined;
    sum += v * USCC_WEIGHTS[i]!;
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

/** Unified social credit code (统一社会信用代码) with a valid check character. */
export function isValidCreditCode(raw: string): boolean {
  const code = raw.trim().toUpperCase();
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return false;
  return usccCheck(code.slice(0, 17)) === code[17];
}

/** Completes the first 17 characters of a credit code with its check character. */
export function creditCodeCheckCharacter(first17: string): string {
  const c = usccCheck(first17.toUpperCase());
  if (!c) throw new Error('invalid credit code characters');
  return c;
}

/** Mainland mobile number: 11 digits starting with 1[3-9]. */
export function isValidMobile(raw: string): boolean {
  return /^1[3-9]\d{9}$/.test(raw.trim());
}

/** Luhn sum of a digit string; `doubleLast` when the check digit is still to be appended. */
function luhnSum(digits: string, doubleLast: boolean): number {
  let sum = 0;
  let double = doubleLast;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = Number(digits[i]);
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum;
}

/** Bank card number: 12–19 digits passing the Luhn check. */
export function isValidBankCardNumber(raw: string): boolean {
  const card = raw.replace(/\s+/g, '');
  return /^\d{12,19}$/.test(card) && luhnSum(card, false) % 10 === 0;
}

/** Completes a card number prefix with its Luhn check digit (test data, demo data). */
export function luhnCheckDigit(prefix: string): string {
  return String((10 - (luhnSum(prefix, true) % 10)) % 10);
}
