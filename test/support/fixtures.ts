import { creditCodeCheckCharacter, idCardCheckCharacter, luhnCheckDigit } from '../../domain/identity';
import { PERSONAL_INFORMATION_CONSENT } from '../../domain/personal-information';

/** A valid resident ID number (checksum included) born on the given date. */
export function idNumber(birth = '19900307', seq = '123'): string {
  const first17 = `110105${birth}${seq}`;
  return first17 + idCardCheckCharacter(first17);
}

/** A valid card number (the same for the same prefix); prefixes pick the sandbox vendor's answer (dev-verifier/vendor.ts). */
export function cardNumber(prefix = '621700', length = 19): string {
  let body = prefix;
  while (body.length < length - 1) body += String((body.length * 7) % 10);
  return body + luhnCheckDigit(body);
}

export function creditCode(body = '91440300MA5F'): string {
  let first17 = body;
  while (first17.length < 17) first17 += String(first17.length % 10);
  return first17 + creditCodeCheckCharacter(first17);
}

/** The smallest valid PNG (1×1), for licence uploads. */
export const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** The member's consent to sensitive personal information, as its onboarding page sends it (PIPL). */
export const MEMBER_CONSENT = { version: PERSONAL_INFORMATION_CONSENT.version, sensitive: true } as const;
/** A step's body with the consent the step requires (实名信息, 法人信息, 确认开户). */
export const withConsent = <T extends object>(body: T) => ({ ...body, consent: MEMBER_CONSENT });
