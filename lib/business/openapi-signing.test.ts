import { sm2 } from 'sm-crypto';
import { signRequest, verifyResponse } from '../../scripts/examples/openapi-client';
import { isValidPublicKey, requestSigningString, responseSigningString, sm2Sign, sm2Verify } from './openapi-signing';

describe('SM2 request signing (sm-crypto round trip)', () => {
  const app = sm2.generateKeyPairHex();
  const other = sm2.generateKeyPairHex();

  it('a request signed by the client example verifies with the public key, and nothing else does', () => {
    const body = '{"amount":100}';
    const req = signRequest({
      appNo: '1001001',
      privateKey: app.privateKey,
      method: 'post',
      path: '/openapi/v1/x?a=1',
      body,
      now: 1_790_000_000_000,
      nonce: 'n'.repeat(16),
    });
    expect(req.headers['X-YST-Signature']).toMatch(/^[0-9a-f]{128}$/);
    const signed = requestSigningString('POST', '/openapi/v1/x?a=1', '1790000000000', 'n'.repeat(16), Buffer.from(body));
    expect(sm2Verify(signed, req.headers['X-YST-Signature']!, app.publicKey)).toBe(true);
    expect(sm2Verify(signed, req.headers['X-YST-Signature']!, other.publicKey)).toBe(false);
    // Any part changed: method, path, query, timestamp, nonce or one byte of the body.
    for (const changed of [
      requestSigningString('GET', '/openapi/v1/x?a=1', '1790000000000', 'n'.repeat(16), Buffer.from(body)),
      requestSigningString('POST', '/openapi/v1/x?a=2', '1790000000000', 'n'.repeat(16), Buffer.from(body)),
      requestSigningString('POST', '/openapi/v1/x?a=1', '1790000000001', 'n'.repeat(16), Buffer.from(body)),
      requestSigningString('POST', '/openapi/v1/x?a=1', '1790000000000', 'm'.repeat(16), Buffer.from(body)),
      requestSigningString('POST', '/openapi/v1/x?a=1', '1790000000000', 'n'.repeat(16), Buffer.from('{"amount":101}')),
    ]) {
      expect(sm2Verify(changed, req.headers['X-YST-Signature']!, app.publicKey)).toBe(false);
    }
  });

  it('the platform signs answers the way the client example checks them', () => {
    const platform = sm2.generateKeyPairHex();
    const body = Buffer.from('{"ok":true}');
    const signature = sm2Sign(responseSigningString('1790000000000', 'abc', body), platform.privateKey);
    const headers = { 'x-yst-timestamp': '1790000000000', 'x-yst-nonce': 'abc', 'x-yst-signature': signature };
    expect(verifyResponse(platform.publicKey, headers, body)).toBe(true);
    expect(verifyResponse(platform.publicKey, headers, Buffer.from('{"ok":false}'))).toBe(false);
    expect(verifyResponse(other.publicKey, headers, body)).toBe(false);
  });

  it('accepts only public keys on the curve; malformed signatures are false, never a crash', () => {
    expect(isValidPublicKey(app.publicKey)).toBe(true);
    expect(isValidPublicKey(`04${'1'.repeat(128)}`)).toBe(false);
    expect(isValidPublicKey(app.publicKey.slice(0, 66))).toBe(false);
    expect(sm2Verify('x', 'zz', app.publicKey)).toBe(false);
    expect(sm2Verify('x', '0'.repeat(128), app.publicKey)).toBe(false);
  });
});
