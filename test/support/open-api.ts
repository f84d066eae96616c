/** Callers of the signed open API in tests: an application with its keys saved through 证书管理, and signed requests. */
import { sm2 } from 'sm-crypto';
import request from 'supertest';
import { signRequest } from '../../scripts/examples/openapi-client';
import { type Harness, createTenant, signIn } from './harness';

/** An application whose public key (and, if asked, a sensitive-field key) is saved through 证书管理; the test keeps the private key. */
export async function applicationWithKey(h: Harness, opts: { sensitiveKey?: boolean } = {}) {
  const t = await createTenant(h.services);
  const portal = await signIn(h.app, t.username, t.password);
  const keys = sm2.generateKeyPairHex();
  const saved = await portal.put('/api/application-centre/certificates/public-key').send({ publicKey: keys.publicKey }).expect(200);
  const sensitiveKey = opts.sensitiveKey
    ? ((await portal.post('/api/application-centre/certificates/encryption-key').expect(200)).body.encryptionKey as string)
    : '';
  return { t, portal, keys, sensitiveKey, platformPublicKey: saved.body.platformPublicKey as string };
}

/** A signed request: JSON bodies as given (an object is stringified), bytes as they are. */
export function signedRequest(
  h: Harness,
  opts: { appNo: string; privateKey: string; method?: 'GET' | 'POST'; path: string; body?: unknown; provider?: string; nonce?: string },
) {
  const method = opts.method ?? (opts.body === undefined ? 'GET' : 'POST');
  const payload = opts.body === undefined ? undefined : Buffer.isBuffer(opts.body) || typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  const s = signRequest({
    appNo: opts.appNo,
    privateKey: opts.privateKey,
    method,
    path: opts.path,
    ...(payload !== undefined ? { body: payload } : {}),
    ...(opts.provider ? { provider: opts.provider } : {}),
    ...(opts.nonce ? { nonce: opts.nonce } : {}),
  });
  const req = method === 'GET' ? request(h.app.app).get(opts.path) : request(h.app.app).post(opts.path);
  for (const [k, v] of Object.entries(s.headers)) req.set(k, v);
  return payload === undefined ? req : req.send(payload);
}
