import { randomBytes } from 'node:crypto';
import type { FieldCrypto } from '../adapters/field-crypto';

/**
 * Link tokens (onboarding and signing links): 192 bits, handed out once, stored
 * only as a keyed hash, never equal to a workflow id or a database id.
 *
 * Self-service onboarding tokens are random and shown to the platform once.
 * Links the product sends by SMS (proxy confirmation, signing links) are derived
 * from the record's id with the server secret, so a retried send after a crash
 * rebuilds the same link, and the token never has to enter a workflow history.
 */
export function newLinkToken(): string {
  return randomBytes(24).toString('base64url');
}

export function derivedLinkToken(crypto: FieldCrypto, purpose: string, id: string): string {
  return crypto.digest(`link-token:${purpose}`, id).slice(0, 32);
}

/** A proxy onboarding's link: one per session and link version. */
export function proxyLinkToken(crypto: FieldCrypto, sessionId: string, version: number): string {
  return derivedLinkToken(crypto, 'onboarding', `${sessionId}:${version}`);
}

export function linkTokenHash(crypto: FieldCrypto, token: string): string {
  return crypto.digest('onboarding-link', token);
}

export function signingLinkHash(crypto: FieldCrypto, token: string): string {
  return crypto.digest('signing-link', token);
}

export function onboardingUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl.replace(/\/$/, '')}/onboard/${token}`;
}

export function signingUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl.replace(/\/$/, '')}/sign/${token}`;
}

/** Tokens in URLs: 32 base64url characters. */
export const LINK_TOKEN_PATTERN = /^[A-Za-z0-9_-]{32}$/;
