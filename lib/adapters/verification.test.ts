/**
 * The four-element verification adapter (Tencent Cloud FaceID's BankCard4EVerification): its
 * TC3-HMAC-SHA256 signature reproduces the vendor's published worked example, and against the
 * sandbox vendor (dev-verifier/, a real HTTP server speaking the same protocol) each verdict maps to
 * our reasons while every kind of vendor trouble ends as VerifierUnavailableError, never a mismatch.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type SandboxVendor, startSandboxVendor } from '../../dev-verifier/vendor';
import { canonicalRequest, stringToSign, tc3Authorization, tc3Signature } from './tc3-signing';
import { FACEID_RESULTS, VerifierUnavailableError, createBizLicenseVerifier, createFaceIdVerifier } from './verification';

describe('TC3-HMAC-SHA256 signing', () => {
  // "签名方法 v3" (cloud.tencentcloud.com/document/api/213/30654): DescribeInstances at 1551113065 with the demo key.
  const example = {
    host: 'cvm.tencentcloudapi.com',
    service: 'cvm',
    timestamp: 1551113065,
    payload: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
  };

  it('reproduces the published canonical request, string to sign and signature', () => {
    expect(canonicalRequest(example)).toBe(
      'POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064',
    );
    expect(stringToSign(example)).toBe(
      'TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031',
    );
    expect(tc3Signature('Gu5t9xGARNpq86cd98joQYCN3EXAMPLE', example)).toBe('72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168');
    expect(tc3Authorization('AKIDEXAMPLE', 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE', example)).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
    );
  });

  it('maps every result code the vendor documents', () => {
    const documented = ['-1', '-2', '-3', '-4', '-5', '-6', '-7', '-8', '-9', '-10', '-11', '-12', '-13', '-14', '-15', '-16', '-17', '-18'];
    expect(Object.keys(FACEID_RESULTS).sort()).toEqual(documented.sort());
  });
});

describe('the FaceID adapter against the sandbox vendor', () => {
  let vendor: SandboxVendor;
  const keys = { secretId: 'AKIDunit0000000000000000000000000000', secretKey: 'unit-verifier-key-0123456789abcdef' };
  const person = { name: '张三', idNumber: '11010519491231002X', cardNumber: '6217001234567890122', phone: '13800138000' };
  const verifier = (overrides: Partial<Parameters<typeof createFaceIdVerifier>[0]> = {}) =>
    createFaceIdVerifier({ url: vendor.url, ...keys, retries: 1, backoffMs: 10, timeoutMs: 2_000, ...overrides });

  beforeAll(async () => {
    vendor = await startSandboxVendor({ port: 0, ...keys });
  });
  afterAll(() => vendor.stop());

  it('answers per element for a registered holder, and by the documented test cards', async () => {
    const v = verifier();
    expect(await v.verifyFourElements(person)).toEqual({ ok: true });
    vendor.register(person);
    expect(await v.verifyFourElements(person)).toEqual({ ok: true });
    expect(await v.verifyFourElements({ ...person, name: '张四' })).toMatchObject({ ok: false, element: 'name' });
    expect(await v.verifyFourElements({ ...person, idNumber: '110105194912310021' })).toMatchObject({ ok: false, element: 'idNumber' });
    expect(await v.verifyFourElements({ ...person, phone: '13900000000' })).toEqual({ ok: false, element: 'phone', reason: '手机号与银行预留手机号不一致' });
    expect(await v.verifyFourElements({ ...person, cardNumber: '6222050000074185292' })).toEqual({
      ok: false,
      element: 'cardNumber',
      reason: '银行卡不存在或已销户',
    });
    expect(await v.verifyFourElements({ ...person, cardNumber: '6222060000074185290' })).toMatchObject({ ok: false, element: 'cardNumber' });
  });

  it('turns a busy vendor, an outage and a vendor that does not answer into VerifierUnavailableError', async () => {
    const v = verifier();
    const before = vendor.calls();
    await expect(v.verifyFourElements({ ...person, cardNumber: '6222070000074185298' })).rejects.toBeInstanceOf(VerifierUnavailableError);
    expect(vendor.calls() - before).toBe(2); // the first try and one retry

    vendor.setOutage(true);
    try {
      await expect(v.verifyFourElements(person)).rejects.toMatchObject({ name: 'VerifierUnavailableError', vendorCode: 'InternalError' });
    } finally {
      vendor.setOutage(false);
    }
    expect(await v.verifyFourElements(person)).toEqual({ ok: true });

    // A vendor far slower than the adapter waits for: no answer, so no verdict (not a mismatch).
    vendor.setLatency(5_000);
    try {
      await expect(verifier({ timeoutMs: 100, retries: 0 }).verifyFourElements(person)).rejects.toMatchObject({
        name: 'VerifierUnavailableError',
        vendorCode: null,
        message: expect.stringContaining('无应答'),
      });
    } finally {
      vendor.setLatency(0);
    }
  });

  it('refuses a request signed with another key, without retrying (credentials do not heal)', async () => {
    const before = vendor.calls();
    const wrong = verifier({ secretKey: 'another-key-0123456789abcdef0000' });
    await expect(wrong.verifyFourElements(person)).rejects.toMatchObject({ vendorCode: 'AuthFailure.SignatureFailure' });
    await expect(verifier({ secretId: 'AKIDnobody' }).verifyFourElements(person)).rejects.toMatchObject({ vendorCode: 'AuthFailure.SecretIdNotFound' });
    expect(vendor.calls()).toBe(before);
  });

  it('is unreachable as unavailable too', async () => {
    await expect(createFaceIdVerifier({ url: 'http://127.0.0.1:9', ...keys, retries: 0 }).verifyFourElements(person)).rejects.toBeInstanceOf(
      VerifierUnavailableError,
    );
  });
});

describe('the enterprise four-element adapter (OCR VerifyBizLicenseEnterprise4) against the sandbox vendor', () => {
  let vendor: SandboxVendor;
  const keys = { secretId: 'AKIDunit0000000000000000000000000000', secretKey: 'unit-verifier-key-0123456789abcdef' };
  const company = {
    companyName: '深圳市云商测试科技有限公司',
    creditCode: '91440300MA5F23456T',
    legalRepresentative: '李强',
    legalIdNumber: '110105199003071239',
  };
  const verifier = (overrides: Partial<Parameters<typeof createBizLicenseVerifier>[0]> = {}) =>
    createBizLicenseVerifier({ url: vendor.url, ...keys, retries: 1, backoffMs: 10, timeoutMs: 2_000, ...overrides });

  beforeAll(async () => {
    vendor = await startSandboxVendor({ port: 0, ...keys });
  });
  afterAll(() => vendor.stop());

  it('names the element that differs from the registration, company first', async () => {
    const v = verifier();
    vendor.registerEnterprise(company);
    expect(await v.verifyEnterprise(company)).toEqual({ ok: true });
    expect(await v.verifyEnterprise({ ...company, companyName: '深圳市另一家科技有限公司' })).toEqual({
      ok: false,
      element: 'companyName',
      reason: '企业名称与工商登记不一致',
    });
    expect(await v.verifyEnterprise({ ...company, legalRepresentative: '王强' })).toMatchObject({ ok: false, element: 'legalRepresentative' });
    expect(await v.verifyEnterprise({ ...company, legalIdNumber: '110105198511114560' })).toMatchObject({ ok: false, element: 'legalIdNumber' });
  });

  it('refuses a company that is not operating or not found, and has no verdict when the vendor fails', async () => {
    const v = verifier();
    const other = { ...company, creditCode: '91110108563654948X' };
    expect(await v.verifyEnterprise({ ...other, companyName: '某某已注销科技有限公司' })).toEqual({
      ok: false,
      element: null,
      reason: '企业经营状态为「注销」，不能开户',
    });
    expect(await v.verifyEnterprise({ ...other, companyName: '查无此企业有限公司' })).toEqual({ ok: false, element: null, reason: '企业信息不正确，无法查询' });
    const before = vendor.calls();
    await expect(v.verifyEnterprise({ ...other, companyName: '系统繁忙测试有限公司' })).rejects.toMatchObject({
      name: 'VerifierUnavailableError',
      vendorCode: 'StatusCode:1',
    });
    expect(vendor.calls() - before).toBe(2); // StatusCode 1 is the vendor's trouble: tried again once
    vendor.setOutage(true, [other.creditCode]);
    try {
      await expect(v.verifyEnterprise(other)).rejects.toMatchObject({ vendorCode: 'InternalError' });
    } finally {
      vendor.setOutage(false);
    }
  });

  it('reads the vendor’s documented answer (营业执照核验（企业四要素）, 示例1) as verified', async () => {
    // The documented output example, served as is.
    const documented = {
      Response: {
        StatusCode: 0,
        VerifyResult: 1,
        IsCreditCodeConsistent: true,
        IsEntNameConsistent: true,
        IsLrNameConsistent: true,
        IsIdNumConsistent: true,
        OperatingStatus: '1',
        OperatingPeriod: '2020-02-24/',
        RequestId: 'ff3cb900-6961-402f-bb25-45b86cb6f695',
      },
    };
    const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(documented)));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      expect(await createBizLicenseVerifier({ url, ...keys }).verifyEnterprise(company)).toEqual({ ok: true });
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
