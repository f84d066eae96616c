import { randomBytes } from 'node:crypto';
import type { FieldCrypto } from './field-crypto';

/**
 * Onboarding link tokens: 192 random bits, handed out once, stored only as a
 * keyed hash, never derived from (or equal to) a workflow id.
 */
export function newLinkToken(): string {
  return randomBytes(24).toString('base64url');
}

export function linkTokenHash(crypto: FieldCrypto, token: string): string {
  return crypto.digest('onboarding-link', token);
}

export function onboardingUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl.replace(/\/$/, '')}/onboard/${token}`;
}
