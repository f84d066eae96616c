/**
 * Bank-card four-element verification (name, ID number, card number, bank-reserved phone) through
 * a vendor. The one vendor adapter speaks Tencent Cloud FaceID's BankCard4EVerification (API 3.0,
 * version 2018-03-01, signed TC3-HMAC-SHA256: lib/adapters/tc3-signing.ts); deployments point it
 * at the vendor (https://faceid.tencentcloudapi.com) or at the sandbox vendor (dev-verifier/), which
 * speaks the same protocol and is what `npm start` and the tests run.
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
}

export interface BankCardVerifier {
  verifyFourElements(input: FourElements, opts?: VerifyOptions): Promise<VerificationResult>;
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

export interface FaceIdOptions {
  /** https://faceid.tencentcloudapi.com, or the sandbox vendor's URL. */
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

type FaceIdAnswer = { Response?: { Result?: string; Description?: string; RequestId?: string; Error?: { Code?: string; Message?: string } } };

export function createFaceIdVerifier(opts: FaceIdOptions): BankCardVerifier {
  const url = new URL(opts.url);
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const retries = opts.retries ?? 2;
  const backoffMs = opts.backoffMs ?? 300;

  /** One call: the verdict, or why there is none (retryable or not). */
  async function attempt(input: FourElements): Promise<VerificationResult | { unavailable: string; code: string | null; retry: boolean }> {
    const payload = JSON.stringify({ Name: input.name, BankCard: input.cardNumber, Phone: input.phone, IdCard: input.idNumber, CertType: 0 });
    // The vendor's clock window (5 minutes) is real time, whatever the app's business clock says.
    const timestamp = Math.floor(Date.now() / 1000);
    let answer: FaceIdAnswer;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          Authorization: tc3Authorization(opts.secretId, opts.secretKey, { host: url.host, service: 'faceid', timestamp, payload }),
          'Content-Type': TC3_CONTENT_TYPE,
          'X-TC-Action': 'BankCard4EVerification',
          'X-TC-Version': '2018-03-01',
          'X-TC-Timestamp': String(timestamp),
          'X-TC-Region': opts.region ?? 'ap-guangzhou',
        },
        body: payload,
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (res.status >= 500) return { unavailable: `认证服务应答 HTTP ${res.status}`, code: null, retry: true };
      answer = (await res.json()) as FaceIdAnswer;
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError';
      return { unavailable: timedOut ? `认证服务 ${timeoutMs} ms 内无应答` : `认证服务无法连接：${(err as Error).message}`, code: null, retry: true };
    }
    const error = answer.Response?.Error;
    if (error)
      return { unavailable: `认证服务错误 ${error.Code}：${error.Message ?? ''}`, code: error.Code ?? null, retry: RETRYABLE_ERRORS.test(error.Code ?? '') };
    const result = answer.Response?.Result;
    if (result === '0') return { ok: true };
    const mapped = result === undefined ? undefined : FACEID_RESULTS[result];
    if (mapped === 'UNAVAILABLE') return { unavailable: answer.Response?.Description ?? '验证中心服务繁忙', code: result!, retry: true };
    if (!mapped) return { unavailable: `认证服务返回未知结果码 ${String(result)}`, code: result ?? null, retry: false };
    return { ok: false, ...mapped };
  }

  return {
    async verifyFourElements(input, callOpts) {
      const allowed = callOpts?.retries ?? retries;
      for (let i = 0; ; i++) {
        const outcome = await attempt(input);
        if ('ok' in outcome) return outcome;
        if (!outcome.retry || i >= allowed) throw new VerifierUnavailableError(outcome.unavailable, outcome.code);
        await new Promise((r) => setTimeout(r, backoffMs * 2 ** i));
      }
    },
  };
}
