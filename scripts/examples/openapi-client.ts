/**
 * A client of the open API, signing with the application's SM2 private key —
 * the example to copy. It depends on sm-crypto only (not on this project), so
 * it shows the whole scheme (see lib/business/openapi-signing.ts for the definition):
 *
 *   string to sign = METHOD \n PATH?QUERY \n TIMESTAMP \n NONCE \n SM3(body)
 *
 * Run it against a running product:
 *   YST_APP_NO=1001001 YST_PRIVATE_KEY=<hex> YST_PLATFORM_PUBLIC_KEY=<hex> \
 *   YST_API=http://localhost:3001 npx tsx scripts/examples/openapi-client.ts /openapi/v1/members/<bizUserId>
 */
import { randomBytes } from 'node:crypto';
import { sm2, sm3, sm4 } from 'sm-crypto';

export interface SignedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** The headers of one signed request. */
export function signRequest(opts: {
  appNo: string;
  privateKey: string;
  method: string;
  path: string;
  /** JSON text, or the bytes of an upload. */
  body?: string | Buffer;
  now?: number;
  nonce?: string;
  /** Service-provider mode: the provider's id (服务商密钥), signing with the provider's private key for `appNo`. */
  provider?: string;
}): SignedRequest {
  const body = Buffer.isBuffer(opts.body) ? opts.body : Buffer.from(opts.body ?? '', 'utf8');
  const timestamp = String(opts.now ?? Date.now());
  const nonce = opts.nonce ?? randomBytes(16).toString('hex');
  const toSign = [opts.method.toUpperCase(), opts.path, timestamp, nonce, sm3(Array.from(body))].join('\n');
  const headers: Record<string, string> = {
    'X-YST-AppNo': opts.appNo,
    'X-YST-Timestamp': timestamp,
    'X-YST-Nonce': nonce,
    'X-YST-Signature': sm2.doSignature(toSign, opts.privateKey, { hash: true }),
    ...(opts.provider ? { 'X-YST-Provider': opts.provider } : {}),
  };
  if (body.length) headers['Content-Type'] = Buffer.isBuffer(opts.body) ? 'application/octet-stream' : 'application/json';
  return { method: opts.method.toUpperCase(), path: opts.path, headers, body };
}

/**
 * A sensitive field (ID number, card number, phone) sealed with the sensitive-field key from 证书管理
 * (生成加密秘钥, 32 hex digits): KEY_ID ":" IV ":" SM4-CBC(value, PKCS#7) in hex, KEY_ID being the first
 * 8 hex digits of SM3 of the key's 16 bytes (lib/business/sensitive-fields.ts).
 */
export function sealField(value: string, keyHex: string): string {
  const keyId = sm3(Array.from(Buffer.from(keyHex, 'hex'))).slice(0, 8);
  const iv = randomBytes(16).toString('hex');
  return `${keyId}:${iv}:${sm4.encrypt(value, keyHex, { mode: 'cbc', iv })}`;
}

/** True when the answer was signed by the platform (its public key from 证书管理 → 下载通联公钥). */
export function verifyResponse(platformPublicKey: string, headers: Record<string, string | undefined>, body: Buffer): boolean {
  const timestamp = headers['x-yst-timestamp'];
  const nonce = headers['x-yst-nonce'];
  const signature = headers['x-yst-signature'];
  if (!timestamp || !nonce || !signature) return false;
  return sm2.doVerifySignature([timestamp, nonce, sm3(Array.from(body))].join('\n'), signature, platformPublicKey, { hash: true });
}

async function main() {
  // [path] for a GET, or [path, JSON body] for a POST (an order: /openapi/v1/orders '{"kind":"TOP_UP",…}').
  const [path = '/openapi/v1/application', body] = process.argv.slice(2);
  const { YST_APP_NO, YST_PRIVATE_KEY, YST_PLATFORM_PUBLIC_KEY, YST_API = 'http://localhost:3001' } = process.env;
  if (!YST_APP_NO || !YST_PRIVATE_KEY) throw new Error('set YST_APP_NO and YST_PRIVATE_KEY (and YST_PLATFORM_PUBLIC_KEY to check the answer)');
  const req = signRequest({ appNo: YST_APP_NO, privateKey: YST_PRIVATE_KEY, method: body ? 'POST' : 'GET', path, ...(body ? { body } : {}) });
  const res = await fetch(`${YST_API}${path}`, { method: req.method, headers: req.headers, ...(body ? { body: req.body } : {}) });
  const answer = Buffer.from(await res.arrayBuffer());
  const headers = Object.fromEntries(res.headers.entries());
  console.log(res.status, answer.toString('utf8'));
  if (YST_PLATFORM_PUBLIC_KEY) console.log('platform signature', verifyResponse(YST_PLATFORM_PUBLIC_KEY, headers, answer) ? 'valid' : 'INVALID');
}

if (require.main === module) main().catch((err) => (console.error(err), process.exit(1)));
