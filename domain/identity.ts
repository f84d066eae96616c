/**
 * Identity rules of mainland China used when members are onboarded:
 * resident ID numbers (GB 11643), unified social credit codes (GB 32100),
 * mobile phone numbers and bank card numbers.
 */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** 18-digit resident ID number with a valid birth date and check character. */
export function isValidIdCardNumber(raw: string): boolean {
  const id = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(year, month - 1, day));
  if (year < 1900 || birth.getUTCFullYear() !== year || birth.getUTCMonth() !== month - 1 || birth.getUTCDate() !== day) {
    return false;
  }
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
