import { TENCENT_CLOUD_URLS, parseConfig } from './config';

/** The least a process needs; everything else has its default. */
const base = {
  DATABASE_URL: 'postgresql://app@127.0.0.1:5432/app',
  DATA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  SESSION_SECRET: 'x'.repeat(32),
};

describe('choosing the verification vendor (VERIFIER)', () => {
  it('uses the sandbox vendor by default', () => {
    const config = parseConfig(base);
    expect(config.VERIFIER).toBe('sandbox');
    expect(config.VERIFIER_URL).toBe('http://127.0.0.1:8027');
    expect(config.ENTERPRISE_VERIFIER_URL).toBeUndefined();
  });

  it('points tencent-cloud at the vendor’s two products unless told otherwise', () => {
    const keys = { VERIFIER_SECRET_ID: 'AKIDproductionAccount01', VERIFIER_SECRET_KEY: 'a-real-secret-key-of-the-account' };
    const config = parseConfig({ ...base, VERIFIER: 'tencent-cloud', ...keys });
    expect([config.VERIFIER_URL, config.ENTERPRISE_VERIFIER_URL]).toEqual([TENCENT_CLOUD_URLS.faceId, TENCENT_CLOUD_URLS.ocr]);
    const proxied = parseConfig({ ...base, VERIFIER: 'tencent-cloud', ...keys, VERIFIER_URL: 'https://egress.example.com/faceid' });
    expect(proxied.VERIFIER_URL).toBe('https://egress.example.com/faceid');
  });

  it('refuses tencent-cloud with the sandbox’s dev keys, and an unknown vendor, naming the variable', () => {
    expect(() => parseConfig({ ...base, VERIFIER: 'tencent-cloud' })).toThrow(/VERIFIER_SECRET_ID \/ VERIFIER_SECRET_KEY: VERIFIER=tencent-cloud needs/);
    expect(() => parseConfig({ ...base, VERIFIER: 'aliyun' })).toThrow(/VERIFIER:/);
  });
});

describe('application environments', () => {
  it('verifies test environments at the sandbox vendor, also when production uses the vendor itself', () => {
    expect(parseConfig({ ...base, VERIFIER_URL: 'http://127.0.0.1:9999' }).TEST_VERIFIER_URL).toBe('http://127.0.0.1:9999');
    const keys = { VERIFIER_SECRET_ID: 'AKIDproductionAccount01', VERIFIER_SECRET_KEY: 'a-real-secret-key-of-the-account' };
    const vendor = parseConfig({ ...base, VERIFIER: 'tencent-cloud', ...keys });
    expect(vendor.TEST_VERIFIER_URL).toBe('http://127.0.0.1:8027');
    expect(parseConfig({ ...base, VERIFIER: 'tencent-cloud', ...keys, TEST_VERIFIER_URL: 'http://sandbox.internal:8027' }).TEST_VERIFIER_URL).toBe(
      'http://sandbox.internal:8027',
    );
  });

  it('gives test logins the seed’s initial password unless the deployment sets its own, and refuses a weak one', () => {
    expect(parseConfig(base).TEST_INITIAL_PASSWORD).toBe('allinpay@888');
    expect(parseConfig({ ...base, TEST_INITIAL_PASSWORD: 'Branch#2027' }).TEST_INITIAL_PASSWORD).toBe('Branch#2027');
    expect(() => parseConfig({ ...base, TEST_INITIAL_PASSWORD: 'short' })).toThrow(/TEST_INITIAL_PASSWORD: at least 8 characters/);
    expect(() => parseConfig({ ...base, TEST_INITIAL_PASSWORD: 'with space 1' })).toThrow(/TEST_INITIAL_PASSWORD: printable ASCII/);
  });
});
