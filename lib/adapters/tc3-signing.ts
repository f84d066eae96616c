/**
 * Tencent Cloud API 3.0 request signing (TC3-HMAC-SHA256), as published in "签名方法 v3"
 * (cloud.tencent.com/document/api/213/30654): the verification vendor adapter signs with it, the
 * sandbox vendor checks it. POST with a JSON body, signed headers content-type and host.
 *
 *   CanonicalRequest = POST \n / \n \n content-type:…\nhost:…\n \n content-type;host \n SHA256(body)
 *   StringToSign     = TC3-HMAC-SHA256 \n TIMESTAMP \n DATE/SERVICE/tc3_request \n SHA256(CanonicalRequest)
 *   SecretSigning    = HMAC(HMAC(HMAC("TC3" + SecretKey, DATE), SERVICE), "tc3_request")
 *   Authorization    = TC3-HMAC-SHA256 Credential=SECRET_ID/SCOPE, SignedHeaders=content-type;host, Signature=HEX(HMAC(SecretSigning, StringToSign))
 *
 * DATE is the UTC day of the timestamp (seconds).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const TC3_CONTENT_TYPE = 'application/json; charset=utf-8';
const ALGORITHM = 'TC3-HMAC-SHA256';
const SIGNED_HEADERS = 'content-type;host';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: string | Buffer, message: string) => createHmac('sha256', key).update(message, 'utf8').digest();

export interface Tc3Request {
  host: string;
  service: string;
  /** Seconds since the epoch (X-TC-Timestamp). */
  timestamp: number;
  payload: string;
}

export function canonicalRequest(r: Pick<Tc3Request, 'host' | 'payload'>): string {
  return ['POST', '/', '', `content-type:${TC3_CONTENT_TYPE}\nhost:${r.host}\n`, SIGNED_HEADERS, sha256(r.payload)].join('\n');
}

const dayOf = (timestamp: number) => new Date(timestamp * 1000).toISOString().slice(0, 10);

export function stringToSign(r: Tc3Request): string {
  return [ALGORITHM, String(r.timestamp), `${dayOf(r.timestamp)}/${r.service}/tc3_request`, sha256(canonicalRequest(r))].join('\n');
}

export function tc3Signature(secretKey: string, r: Tc3Request): string {
  const signing = hmac(hmac(hmac(`TC3${secretKey}`, dayOf(r.timestamp)), r.service), 'tc3_request');
  return createHmac('sha256', signing).update(stringToSign(r), 'utf8').digest('hex');
}

export function tc3Authorization(secretId: string, secretKey: string, r: Tc3Request): string {
  return `${ALGORITHM} Credential=${secretId}/${dayOf(r.timestamp)}/${r.service}/tc3_request, SignedHeaders=${SIGNED_HEADERS}, Signature=${tc3Signature(secretKey, r)}`;
}

/** The vendor's side: the SecretId an Authorization header names, and whether its signature is the one this key makes. */
export function checkTc3Authorization(
  authorization: string,
  secretKeyOf: (secretId: string) => string | undefined,
  r: Tc3Request,
): { ok: true; secretId: string } | { ok: false; reason: string } {
  const m = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([a-z]+)\/tc3_request, SignedHeaders=([a-z;-]+), Signature=([0-9a-f]{64})$/.exec(
    authorization,
  );
  if (!m) return { ok: false, reason: 'Authorization 格式不正确' };
  const [, secretId, day, service, signedHeaders, signature] = m as unknown as [string, string, string, string, string, string];
  const secretKey = secretKeyOf(secretId);
  if (!secretKey) return { ok: false, reason: 'SecretId 不存在' };
  if (day !== dayOf(r.timestamp) || service !== r.service || signedHeaders !== SIGNED_HEADERS) return { ok: false, reason: '签名范围与请求不符' };
  const expected = Buffer.from(tc3Signature(secretKey, r));
  return timingSafeEqual(expected, Buffer.from(signature)) ? { ok: true, secretId } : { ok: false, reason: '签名不一致' };
}
