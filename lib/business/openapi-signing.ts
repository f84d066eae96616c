/**
 * The open API's SM2 signing scheme (应用证书): what is signed, and how the
 * platform checks a request and signs its answer. The scheme, in full (also
 * in the README and in scripts/examples/openapi-client.ts, which implements it
 * with nothing but sm-crypto):
 *
 *   string to sign = METHOD "\n" PATH?QUERY "\n" TIMESTAMP "\n" NONCE "\n" SM3(body bytes, hex)
 *   X-YST-AppNo: the application number
 *   X-YST-Timestamp: milliseconds since the epoch, within 5 minutes of the platform's clock
 *   X-YST-Nonce: 16–64 characters [A-Za-z0-9_-], never reused within 10 minutes
 *   X-YST-Signature: SM2 signature (SM3 with the default user id 1234567812345678), r‖s in 128 hex digits
 *
 * Answers carry X-YST-Timestamp, X-YST-Nonce (the request's) and X-YST-Signature
 * by the platform key over  TIMESTAMP "\n" NONCE "\n" SM3(response body, hex),
 * checked with the platform public key downloaded from 证书管理.
 */
// Server side: sm-crypto-v2 (on @noble/curves), several times faster than sm-crypto and
// interoperable with it (the browser and the client example use sm-crypto; tests cross-check).
import { sm2, sm3 } from 'sm-crypto-v2';

export const SIGNATURE_WINDOW_MS = 5 * 60 * 1000;
export const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
export const SIGNATURE_PATTERN = /^[0-9a-f]{128}$/i;
/** An uncompressed SM2 public key: 04, then x and y. */
export const PUBLIC_KEY_PATTERN = /^04[0-9a-f]{128}$/i;

export function bodyDigest(body: Uint8Array): string {
  return sm3(body);
}

export function requestSigningString(method: string, pathWithQuery: string, timestamp: string, nonce: string, body: Uint8Array): string {
  return [method.toUpperCase(), pathWithQuery, timestamp, nonce, bodyDigest(body)].join('\n');
}

export function responseSigningString(timestamp: string, nonce: string, body: Uint8Array): string {
  return [timestamp, nonce, bodyDigest(body)].join('\n');
}

/** A public key the library accepts as a point on the curve. */
export function isValidPublicKey(publicKey: string): boolean {
  if (!PUBLIC_KEY_PATTERN.test(publicKey)) return false;
  try {
    return sm2.verifyPublicKey(publicKey.toLowerCase());
  } catch {
    return false;
  }
}

export function sm2Sign(message: string, privateKey: string, publicKey?: string): string {
  return sm2.doSignature(message, privateKey, { hash: true, ...(publicKey ? { publicKey } : {}) });
}

export function sm2Verify(message: string, signature: string, publicKey: string): boolean {
  if (!SIGNATURE_PATTERN.test(signature) || !isValidPublicKey(publicKey)) return false;
  try {
    return sm2.doVerifySignature(message, signature.toLowerCase(), publicKey.toLowerCase(), { hash: true });
  } catch {
    return false;
  }
}
