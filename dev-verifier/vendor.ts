/**
 * The sandbox verification vendor: a local HTTP server that answers like Tencent Cloud FaceID's
 * BankCard4EVerification and OCR's VerifyBizLicenseEnterprise4 (API 3.0, TC3-HMAC-SHA256 signed,
 * `{"Response": {...}}` answers), started by `npm start` and the tests, so the product's vendor
 * adapter (lib/adapters/verification.ts) runs for real. It checks each request's signature with its
 * SecretKey and answers four elements of a bank card:
 *
 * - a card registered in its registry (`POST /sandbox/identities`): per element, the first of name
 *   (-2), ID number (-3) and phone (-5) that differs from the registered holder, else 0;
 * - the documented test cards by their first ten digits (README): 6222020000 → -2 name,
 *   6222030000 → -3 ID number, 6222040000 → -5 phone, 6222050000 → -9 无效卡号,
 *   6222060000 → -7 未开通无卡支付, 6222070000 → -18 验证中心服务繁忙;
 * - any other valid card: 0 (认证通过);
 *
 * and four elements of an enterprise:
 * - an enterprise registered by credit code (`POST /sandbox/enterprises`): the flag of each element
 *   that differs false (VerifyResult 0), else VerifyResult 1, OperatingStatus 1;
 * - otherwise by the company name: containing 注销 / 吊销 → OperatingStatus 3 / 4; 查无 → -10002 (not
 *   found); 繁忙 → StatusCode 1 (the vendor's system error); any other → all consistent, 开业.
 *
 * `PUT /sandbox/outage {"on": true}` makes every call answer InternalError until switched off (with
 * `"cards": [...]` only the calls for those cards or credit codes, so tests running side by side keep their vendor);
 * `PUT /sandbox/latency {"ms": 800}` delays every answer. `GET /sandbox/calls` counts the
 * verification calls (the tests check a retried step does not call twice).
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { checkTc3Authorization } from '../lib/adapters/tc3-signing';

export interface SandboxIdentity {
  name: string;
  idNumber: string;
  cardNumber: string;
  phone: string;
}

export interface SandboxEnterprise {
  companyName: string;
  creditCode: string;
  legalRepresentative: string;
  legalIdNumber: string;
}

/** Which product signs a vendor action (the TC3 credential scope). */
const ACTIONS: Record<string, { service: string; version: string }> = {
  BankCard4EVerification: { service: 'faceid', version: '2018-03-01' },
  VerifyBizLicenseEnterprise4: { service: 'ocr', version: '2018-11-19' },
};

export interface SandboxVendor {
  url: string;
  register(identity: SandboxIdentity): void;
  registerEnterprise(enterprise: SandboxEnterprise): void;
  /** Every call fails (InternalError) while on; with `cards`, only the calls for those cards. */
  setOutage(on: boolean, cards?: string[]): void;
  setLatency(ms: number): void;
  calls(): number;
  stop(): Promise<void>;
}

const DESCRIPTIONS: Record<string, string> = {
  '0': '认证通过',
  '-2': '姓名校验不通过',
  '-3': '身份证号码有误',
  '-5': '手机号码不合法',
  '-7': '未开通无卡支付',
  '-9': '无效卡号',
  '-18': '验证中心服务繁忙',
};
const TEST_CARDS: Record<string, string> = {
  '6222020000': '-2',
  '6222030000': '-3',
  '6222040000': '-5',
  '6222050000': '-9',
  '6222060000': '-7',
  '6222070000': '-18',
};

export async function startSandboxVendor(opts: {
  port: number;
  secretId: string;
  secretKey: string;
  host?: string;
  latencyMs?: number;
}): Promise<SandboxVendor> {
  const registry = new Map<string, SandboxIdentity>();
  const enterprises = new Map<string, SandboxEnterprise>();
  let outage: boolean | Set<string> = false;
  const switchOutage = (on: boolean, cards?: unknown) => {
    outage = !on ? false : Array.isArray(cards) ? new Set(cards.map(String)) : true;
  };
  let latency = opts.latencyMs ?? 0;
  let calls = 0;

  const app = express();
  app.use('/sandbox', express.json());
  app.post('/sandbox/identities', (req, res) => {
    const { name, idNumber, cardNumber, phone } = (req.body ?? {}) as Partial<SandboxIdentity>;
    if (![name, idNumber, cardNumber, phone].every((v) => typeof v === 'string' && v.length > 0))
      return void res.status(400).json({ message: 'name, idNumber, cardNumber, phone 均为必填' });
    registry.set(cardNumber!, { name: name!, idNumber: idNumber!.toUpperCase(), cardNumber: cardNumber!, phone: phone! });
    res.status(201).json({ registered: registry.size });
  });
  app.post('/sandbox/enterprises', (req, res) => {
    const { companyName, creditCode, legalRepresentative, legalIdNumber } = (req.body ?? {}) as Partial<SandboxEnterprise>;
    if (![companyName, creditCode, legalRepresentative, legalIdNumber].every((v) => typeof v === 'string' && v.length > 0))
      return void res.status(400).json({ message: 'companyName, creditCode, legalRepresentative, legalIdNumber 均为必填' });
    enterprises.set(creditCode!.toUpperCase(), {
      companyName: companyName!,
      creditCode: creditCode!.toUpperCase(),
      legalRepresentative: legalRepresentative!,
      legalIdNumber: legalIdNumber!.toUpperCase(),
    });
    res.status(201).json({ registered: enterprises.size });
  });
  app.put('/sandbox/outage', (req, res) => {
    switchOutage(req.body?.on === true, req.body?.cards);
    res.json({ outage: outage instanceof Set ? [...outage] : outage });
  });
  app.put('/sandbox/latency', (req, res) => {
    latency = Math.max(0, Number(req.body?.ms) || 0);
    res.json({ latencyMs: latency });
  });
  app.get('/sandbox/calls', (_req, res) => void res.json({ calls }));

  // The vendor's API: one POST to /, the action in X-TC-Action, the body signed.
  app.post('/', express.text({ type: () => true, limit: '64kb' }), async (req, res) => {
    const requestId = randomUUID();
    const fail = (code: string, message: string) => void res.json({ Response: { Error: { Code: code, Message: message }, RequestId: requestId } });
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    const payload = typeof req.body === 'string' ? req.body : '';
    const timestamp = Number(req.get('x-tc-timestamp'));
    if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300) return fail('AuthFailure.SignatureExpire', '签名过期');
    if (req.get('content-type') !== 'application/json; charset=utf-8') return fail('AuthFailure.SignatureFailure', 'Content-Type 与签名不符');
    const action = ACTIONS[String(req.get('x-tc-action'))];
    if (!action || req.get('x-tc-version') !== action.version) return fail('InvalidAction', '接口不存在或版本不正确');
    const auth = checkTc3Authorization(String(req.get('authorization') ?? ''), (id) => (id === opts.secretId ? opts.secretKey : undefined), {
      host: String(req.get('host')),
      service: action.service,
      timestamp,
      payload,
    });
    if (!auth.ok) return fail(auth.reason === 'SecretId 不存在' ? 'AuthFailure.SecretIdNotFound' : 'AuthFailure.SignatureFailure', auth.reason);
    calls++;
    if (action.service === 'ocr') return void answerEnterprise(payload, requestId, res, fail);
    let body: { Name?: string; BankCard?: string; Phone?: string; IdCard?: string };
    try {
      body = JSON.parse(payload) as typeof body;
    } catch {
      return fail('InvalidParameter', '请求体不是 JSON');
    }
    if (outage === true || (outage instanceof Set && outage.has(String(body.BankCard)))) return fail('InternalError', '内部错误');
    if (![body.Name, body.BankCard, body.Phone, body.IdCard].every((v) => typeof v === 'string' && v)) return fail('InvalidParameter', '参数缺失');
    const held = registry.get(body.BankCard!);
    const result = held
      ? held.name !== body.Name
        ? '-2'
        : held.idNumber !== body.IdCard!.toUpperCase()
          ? '-3'
          : held.phone !== body.Phone
            ? '-5'
            : '0'
      : (TEST_CARDS[body.BankCard!.slice(0, 10)] ?? '0');
    res.json({ Response: { Result: result, Description: DESCRIPTIONS[result], RequestId: requestId } });
  });

  function answerEnterprise(payload: string, requestId: string, res: express.Response, fail: (code: string, message: string) => void) {
    let body: { CreditCode?: string; EntName?: string; LrName?: string; IdNum?: string };
    try {
      body = JSON.parse(payload) as typeof body;
    } catch {
      return fail('InvalidParameter', '请求体不是 JSON');
    }
    if (![body.CreditCode, body.EntName, body.LrName, body.IdNum].every((v) => typeof v === 'string' && v)) return fail('InvalidParameter', '参数缺失');
    const code = body.CreditCode!.toUpperCase();
    if (outage === true || (outage instanceof Set && outage.has(code))) return fail('InternalError', '内部错误');
    const answer = (fields: Record<string, unknown>) => res.json({ Response: { ...fields, RequestId: requestId } });
    const held = enterprises.get(code);
    if (held) {
      const flags = {
        IsCreditCodeConsistent: true,
        IsEntNameConsistent: held.companyName === body.EntName,
        IsLrNameConsistent: held.legalRepresentative === body.LrName,
        IsIdNumConsistent: held.legalIdNumber === body.IdNum!.toUpperCase(),
      };
      return answer({
        StatusCode: 0,
        VerifyResult: Object.values(flags).every(Boolean) ? 1 : 0,
        ...flags,
        OperatingStatus: '1',
        OperatingPeriod: '2020-02-24/',
      });
    }
    const name = body.EntName!;
    if (name.includes('繁忙')) return answer({ StatusCode: 1 });
    if (name.includes('查无'))
      return answer({
        StatusCode: 0,
        VerifyResult: 0,
        IsCreditCodeConsistent: false,
        IsEntNameConsistent: false,
        IsLrNameConsistent: false,
        IsIdNumConsistent: false,
        OperatingStatus: '-10002',
      });
    const status = name.includes('注销') ? '3' : name.includes('吊销') ? '4' : '1';
    const consistent = { IsCreditCodeConsistent: true, IsEntNameConsistent: true, IsLrNameConsistent: true, IsIdNumConsistent: true };
    answer({ StatusCode: 0, VerifyResult: 1, ...consistent, OperatingStatus: status, OperatingPeriod: '2020-02-24/' });
  }

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(opts.port, opts.host ?? '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host && opts.host !== '0.0.0.0' ? opts.host : '127.0.0.1'}:${port}`,
    register: (identity) => void registry.set(identity.cardNumber, { ...identity, idNumber: identity.idNumber.toUpperCase() }),
    registerEnterprise: (e) =>
      void enterprises.set(e.creditCode.toUpperCase(), { ...e, creditCode: e.creditCode.toUpperCase(), legalIdNumber: e.legalIdNumber.toUpperCase() }),
    setOutage: (on, cards) => switchOutage(on, cards),
    setLatency: (ms) => void (latency = ms),
    calls: () => calls,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
