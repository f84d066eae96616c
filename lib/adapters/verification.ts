/**
 * Identity verification through a vendor: bank-card four elements (name, ID number, card number,
 * bank-reserved phone) and enterprise four elements (company name, unified social credit code,
 * legal representative and the representative's ID number). The vendor adapter speaks Tencent
 * Cloud API 3.0 (signed TC3-HMAC-SHA256: lib/adapters/tc3-signing.ts): FaceID's
 * BankCard4EVerification (2018-03-01) and OCR's VerifyBizLicenseEnterprise4 (营业执照核验（企业四要素）,
 * 2018-11-19). Deployments point it at the vendor (https://faceid.tencentcloudapi.com,
 * https://ocr.tencentcloudapi.com) or at the sandbox vendor (dev-verifier/), which speaks the same
 * protocol and is what `npm start` and the tests run.
 *
 * Trouble at the vendor (an outage, a timeout, "验证中心服务繁忙", credentials refused) is never a
 * mismatch: after its retries the adapter throws VerifierUnavailableError and the caller waits or
 * retries; only the vendor's verdicts become a VerificationResult.
 */
import { TC3_CONTENT_TYPE, tc3Authorization } from './tc3-signing';

export interface FourElements {
  name: string;
  idNumber: string;
  cardNumber: string;
  phone: string;
}

export type FourElementElement = 'name' | 'idNumber' | 'cardNumber' | 'phone';

export type VerificationResult = { ok: true } | { ok: false; element: FourElementElement | null; reason: string };

export interface VerifyOptions {
  /**
   * Further attempts after the first when the vendor gives no verdict (the adapter's own setting
   * when absent). A member waiting on the page asks once: the flow retries on its own after.
   */
  retries?: number;
  /** Whose verification it is: a test environment's members are verified at the sandbox vendor. */
  scope?: VerificationScope;
}

/** The application (or a member of it) a verification is asked for. */
export type VerificationScope = { applicationId: string } | { memberId: string };

export interface BankCardVerifier {
  verifyFourElements(input: FourElements, opts?: VerifyOptions): Promise<VerificationResult>;
}

/** 企业四要素: what a member enterprise gives at 企业基本信息 and 法人信息. */
export interface EnterpriseElements {
  companyName: string;
  creditCode: string;
  legalRepresentative: string;
  legalIdNumber: string;
}

export type EnterpriseElement = keyof EnterpriseElements;

export type EnterpriseVerdict = { ok: true } | { ok: false; element: EnterpriseElement | null; reason: string };

export interface EnterpriseVerifier {
  verifyEnterprise(input: EnterpriseElements, opts?: VerifyOptions): Promise<EnterpriseVerdict>;
}

/** The vendor gave no verdict (unreachable, timed out, busy, refused our credentials). */
export class VerifierUnavailableError extends Error {
  constructor(
    message: string,
    readonly vendorCode: string | null = null,
  ) {
    super(message);
    this.name = 'VerifierUnavailableError';
  }
}

/**
 * FaceID's result codes (its SDK's BankCard4EVerificationResponse.Result) as our reasons. The
 * vendor names the element for -2 to -5; -1 and -6 say only that the four do not belong together;
 * -7 to -17 are cards the bank will not verify; -18 is the vendor's own trouble.
 */
export const FACEID_RESULTS: Record<string, { element: FourElementElement | null; reason: string } | 'UNAVAILABLE'> = {
  '-1': { element: null, reason: '银行卡与持卡人信息不一致' },
  '-2': { element: 'name', reason: '持卡人姓名与银行预留信息不一致' },
  '-3': { element: 'idNumber', reason: '证件号与银行预留信息不一致' },
  '-4': { element: 'cardNumber', reason: '银行卡号有误' },
  '-5': { element: 'phone', reason: '手机号与银行预留手机号不一致' },
  '-6': { element: null, reason: '持卡人信息有误' },
  '-7': { element: 'cardNumber', reason: '该卡未开通无卡支付，暂不支持认证' },
  '-8': { element: 'cardNumber', reason: '该卡已被没收' },
  '-9': { element: 'cardNumber', reason: '银行卡不存在或已销户' },
  '-10': { element: 'cardNumber', reason: '该卡无对应发卡行' },
  '-11': { element: 'cardNumber', reason: '该卡未激活或为睡眠卡' },
  '-12': { element: 'cardNumber', reason: '该卡不可用' },
  '-13': { element: 'cardNumber', reason: '该卡已挂失' },
  '-14': { element: 'cardNumber', reason: '该卡已过期' },
  '-15': { element: 'cardNumber', reason: '该卡为受限制的卡' },
  '-16': { element: 'cardNumber', reason: '该卡密码错误次数超限' },
  '-17': { element: 'cardNumber', reason: '发卡行不支持此认证' },
  '-18': 'UNAVAILABLE',
};

/** Error codes worth another try (the vendor's own, transient); any other error (credentials, parameters) is not. */
const RETRYABLE_ERRORS = /^(InternalError|RequestLimitExceeded|ResourceUnavailable|ServiceUnavailable|FailedOperation\.(UnKnown|Busy))/;

export interface TencentCloudOptions {
  /** The product's endpoint (https://faceid.tencentcloudapi.com, https://ocr.tencentcloudapi.com), or the sandbox vendor's URL. */
  url: string;
  secretId: string;
  secretKey: string;
  region?: string;
  /** Per attempt. */
  timeoutMs?: number;
  /** Further attempts after the first, each after a doubling pause. */
  retries?: number;
  backoffMs?: number;
}

type Answer = Record<string, unknown> & { Error?: { Code?: string; Message?: string } };
type Unavailable = { unavailable: string; code: string | null; retry: boolean };

/**
 * One Tencent Cloud API 3.0 action: each attempt signed, bounded by the timeout, the answer's
 * `Response` read; `interpret` turns it into a verdict or says there is none. Retries only what
 * may heal (the vendor's own trouble), and ends without a verdict as VerifierUnavailableError.
 */
function tencentCloudAction<In, Out>(
  opts: TencentCloudOptions,
  action: { service: string; name: string; version: string; payload: (input: In) => unknown },
  interpret: (response: Answer) => Out | Unavailable,
) {
  const url = new URL(opts.url);
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const retries = opts.retries ?? 2;
  const backoffMs = opts.backoffMs ?? 300;

  async function attempt(input: In): Promise<Out | Unavailable> {
    const payload = JSON.stringify(action.payload(input));
    // The vendor's clock window (5 minutes) is real time, whatever the app's business clock says.
    const timestamp = Math.floor(Date.now() / 1000);
    let answer: { Response?: Answer };
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          Authorization: tc3Authorization(opts.secretId, opts.secretKey, { host: url.host, service: action.service, timestamp, payload }),
          'Content-Type': TC3_CONTENT_TYPE,
          'X-TC-Action': action.name,
          'X-TC-Version': action.version,
          'X-TC-Timestamp': String(timestamp),
          'X-TC-Region': opts.region ?? 'ap-guangzhou',
        },
        body: payload,
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (res.status >= 500) return { unavailable: `认证服务应答 HTTP ${res.status}`, code: null, retry: true };
      answer = (await res.json()) as { Response?: Answer };
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError';
      return { unavailable: timedOut ? `认证服务 ${timeoutMs} ms 内无应答` : `认证服务无法连接：${(err as Error).message}`, code: null, retry: true };
    }
    const error = answer.Response?.Error;
    if (error)
      return { unavailable: `认证服务错误 ${error.Code}：${error.Message ?? ''}`, code: error.Code ?? null, retry: RETRYABLE_ERRORS.test(error.Code ?? '') };
    return interpret(answer.Response ?? {});
  }

  return async (input: In, callOpts?: VerifyOptions): Promise<Out> => {
    const allowed = callOpts?.retries ?? retries;
    for (let i = 0; ; i++) {
      const outcome = await attempt(input);
      if (!(outcome && typeof outcome === 'object' && 'unavailable' in outcome)) return outcome;
      if (!outcome.retry || i >= allowed) throw new VerifierUnavailableError(outcome.unavailable, outcome.code);
      await new Promise((r) => setTimeout(r, backoffMs * 2 ** i));
    }
  };
}

export function createFaceIdVerifier(opts: TencentCloudOptions): BankCardVerifier {
  const verify = tencentCloudAction<FourElements, VerificationResult>(
    opts,
    {
      service: 'faceid',
      name: 'BankCard4EVerification',
      version: '2018-03-01',
      payload: (input) => ({ Name: input.name, BankCard: input.cardNumber, Phone: input.phone, IdCard: input.idNumber, CertType: 0 }),
    },
    (response) => {
      const result = typeof response.Result === 'string' ? response.Result : undefined;
      if (result === '0') return { ok: true };
      const mapped = result === undefined ? undefined : FACEID_RESULTS[result];
      const description = typeof response.Description === 'string' ? response.Description : '验证中心服务繁忙';
      if (mapped === 'UNAVAILABLE') return { unavailable: description, code: result!, retry: true };
      if (!mapped) return { unavailable: `认证服务返回未知结果码 ${String(result)}`, code: result ?? null, retry: false };
      return { ok: false, ...mapped };
    },
  );
  return { verifyFourElements: verify };
}

/**
 * OCR VerifyBizLicenseEnterprise4's OperatingStatus: an enterprise that is 注销, 吊销, 撤销 or 停业
 * cannot open an account; 开业 (1), 迁出 (2, registered elsewhere now) and 其他 (0) pass.
 */
export const OPERATING_STATUS_REFUSED: Record<string, string> = { '3': '注销', '4': '吊销', '5': '撤销', '6': '停业' };

/** The vendor's "not consistent" flags, in the order the member fixes them (company first). */
const ENTERPRISE_FLAGS: [flag: string, element: EnterpriseElement, reason: string][] = [
  ['IsCreditCodeConsistent', 'creditCode', '统一社会信用代码与工商登记不一致'],
  ['IsEntNameConsistent', 'companyName', '企业名称与工商登记不一致'],
  ['IsLrNameConsistent', 'legalRepresentative', '法定代表人姓名与工商登记不一致'],
  ['IsIdNumConsistent', 'legalIdNumber', '法定代表人证件号码与工商登记不一致'],
];

export function createBizLicenseVerifier(opts: TencentCloudOptions): EnterpriseVerifier {
  const verify = tencentCloudAction<EnterpriseElements, EnterpriseVerdict>(
    opts,
    {
      service: 'ocr',
      name: 'VerifyBizLicenseEnterprise4',
      version: '2018-11-19',
      payload: (input) => ({ CreditCode: input.creditCode, EntName: input.companyName, LrName: input.legalRepresentative, IdNum: input.legalIdNumber }),
    },
    (response) => {
      // StatusCode 1: 系统异常，不计费 — the vendor's trouble, never the member's.
      if (response.StatusCode !== 0) return { unavailable: '企业核验服务系统异常', code: `StatusCode:${String(response.StatusCode)}`, retry: true };
      const status = String(response.OperatingStatus ?? '');
      if (status === '-10002') return { ok: false, element: null, reason: '企业信息不正确，无法查询' };
      if (response.VerifyResult !== 1) {
        const flag = ENTERPRISE_FLAGS.find(([name]) => response[name] === false);
        return flag ? { ok: false, element: flag[1], reason: flag[2] } : { ok: false, element: null, reason: '企业四要素不一致' };
      }
      if (OPERATING_STATUS_REFUSED[status]) return { ok: false, element: null, reason: `企业经营状态为「${OPERATING_STATUS_REFUSED[status]}」，不能开户` };
      return { ok: true };
    },
  );
  return { verifyEnterprise: verify };
}
