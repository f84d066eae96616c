/**
 * A client of the open API, signing with the application's SM2 private key —
 * the example to copy. It depends on sm-crypto only (not on this project), so
 * it shows the whole scheme (see lib/business/openapi-signing.ts for the definition):
 *
 *   string to sign = METHOD \n PATH?QUERY \n TIMESTAMP \n NONCE \n SM3(body)
 *
 * One call against a running product:
 *   YST_APP_NO=1001001 YST_PRIVATE_KEY=<hex> YST_PLATFORM_PUBLIC_KEY=<hex> \
 *   YST_API=http://127.0.0.1:3000 npx tsx scripts/examples/openapi-client.ts /openapi/v1/members/<bizUserId>
 *
 * The whole integration against `npm start` (see runScenario): keys saved in 证书管理, two members
 * onboarded by 平台代开户 with sealed fields (each completing its part as the member would, its SMS
 * codes read from the sandbox's outbox), then an order of each kind, one result taken by callback:
 *   npx tsx scripts/examples/openapi-client.ts scenario
 */
import { randomBytes, randomInt } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sm2, sm3, sm4 } from 'sm-crypto';
import { PERSONAL_INFORMATION_CONSENT } from '../../domain/personal-information';

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

/** Fetch with a cookie jar (the portal's session, the member's remembered device). */
export function browser(base: string) {
  const jar = new Map<string, string>();
  return async <T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(base + path, {
      method,
      headers: { 'content-type': 'application/json', cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const at = pair!.indexOf('=');
      jar.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  };
}

export interface OpenApiKeys {
  appNo: string;
  privateKey: string;
  /** The sensitive-field key (证书管理 → 生成加密秘钥). */
  sensitiveKey: string;
  /** 通联公钥: checks the platform's signature on answers and callbacks. */
  platformPublicKey: string;
}

/**
 * 证书管理 as a platform's staff does it once: sign in to the portal, generate an SM2 key pair here
 * (the private key never leaves), save the public key, generate the sensitive-field key (a key
 * generated before stays valid for its 24-hour overlap).
 */
export async function setUpKeys(portal: { base: string; user: string; password: string }): Promise<OpenApiKeys> {
  const call = browser(portal.base);
  const login = await call<{ user?: { appNo?: string } }>('POST', '/api/auth/login', { username: portal.user, password: portal.password });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
  const info = await call<{ appNo: string }>('GET', '/api/application-centre/basic-info');
  const keys = sm2.generateKeyPairHex();
  const saved = await call<{ platformPublicKey: string }>('PUT', '/api/application-centre/certificates/public-key', { publicKey: keys.publicKey });
  if (saved.status !== 200) throw new Error(`saving the public key failed: ${saved.status} ${JSON.stringify(saved.body)}`);
  const generated = await call<{ encryptionKey: string }>('POST', '/api/application-centre/certificates/encryption-key');
  return { appNo: info.body.appNo, privateKey: keys.privateKey, sensitiveKey: generated.body.encryptionKey, platformPublicKey: saved.body.platformPublicKey };
}

/** A signed caller of the open API that refuses any answer the platform did not sign. */
export function openApiCaller(base: string, keys: OpenApiKeys) {
  return async <T = Record<string, unknown>>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = signRequest({ appNo: keys.appNo, privateKey: keys.privateKey, method, path, ...(text !== undefined ? { body: text } : {}) });
    const res = await fetch(base + path, { method, headers: req.headers, ...(text !== undefined ? { body: req.body } : {}) });
    const answer = Buffer.from(await res.arrayBuffer());
    if (!verifyResponse(keys.platformPublicKey, Object.fromEntries(res.headers.entries()), answer))
      throw new Error(`${method} ${path}: answer not signed by the platform`);
    return { status: res.status, body: JSON.parse(answer.toString('utf8')) as T };
  };
}

/** A test identity the sandbox verifier accepts: a valid ID number (checksum), a card passing Luhn, a fresh phone. */
export function sandboxIdentity(name: string) {
  const birth = `19${randomInt(60, 99)}0${randomInt(1, 9)}1${randomInt(0, 9)}`;
  const base = `110105${birth}${String(randomInt(0, 999)).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...base].reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
  const idNumber = base + '10X98765432'[sum % 11];
  const partial = `621700${String(randomInt(0, 1e9)).padStart(9, '0')}123`;
  const luhn = [...partial].reverse().reduce((s, d, i) => s + (i % 2 === 0 ? [0, 2, 4, 6, 8, 1, 3, 5, 7, 9][Number(d)]! : Number(d)), 0);
  const cardNumber = partial + String((10 - (luhn % 10)) % 10);
  return { name, idNumber, cardNumber, phone: `139${String(randomInt(0, 1e8)).padStart(8, '0')}` };
}

/** The sandbox's SMS inbox (npm start's outbox): waits for a message to this phone not seen before that matches, and returns the match. */
function smsInbox(outbox: string) {
  const seen = new Set<string>();
  const list = async () => (await (await fetch(`${outbox}/api/messages`)).json()) as { id: string; channel: string; to: string; body: string }[];
  const wait = async (phone: string, pattern: RegExp): Promise<string> => {
    for (let i = 0; i < 200; i++) {
      const m = (await list()).find((x) => x.channel === 'sms' && x.to === `+86${phone}` && !seen.has(x.id) && pattern.test(x.body));
      if (m) {
        seen.add(m.id);
        return pattern.exec(m.body)![1]!;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no SMS matching ${pattern} reached ${phone} in 20 s`);
  };
  return {
    /** Marks what has arrived so far as seen (before asking for a code). */
    async mark() {
      for (const m of await list()) seen.add(m.id);
    },
    code: (phone: string) => wait(phone, /验证码(\d{6})/),
    signingLink: (phone: string) => wait(phone, /\/sign\/([A-Za-z0-9_-]{32})/),
  };
}

/**
 * What the member does with the link of a 平台代开户 (on the phone, in the sandbox): prove the device, confirm
 * the information the platform entered, bind the phone on file, sign the agreement — each by an SMS code.
 */
export async function completeProxyOnboarding(web: string, outbox: string, linkUrl: string, phone: string): Promise<string> {
  const token = /\/onboard\/([A-Za-z0-9_-]{32})/.exec(linkUrl)?.[1];
  if (!token) throw new Error(`not an onboarding link: ${linkUrl}`);
  const member = browser(web);
  const sms = smsInbox(outbox);
  const step = async (path: string, body?: unknown) => {
    const res = await member<{ stage?: string; error?: { id: string; message: string } }>('POST', `/api/onboarding/${token}/${path}`, body ?? {});
    if (res.status >= 400) throw new Error(`${path}: ${res.body.error?.id} ${res.body.error?.message}`);
    return res.body;
  };
  await member('GET', `/api/onboarding/${token}`);
  await sms.mark();
  await step('device-code');
  await step('device-verification', { code: await sms.code(phone) });
  await sms.mark();
  // The member reads the collection notice and ticks the separate consent to its sensitive personal information (PIPL).
  await step('confirmation', { consent: { version: PERSONAL_INFORMATION_CONSENT.version, sensitive: true } });
  await step('phone-binding', { code: await sms.code(phone) });
  const signed = await step('agreement-signature', { code: await sms.code(phone) });
  return signed.stage ?? '';
}

/**
 * A post-settlement application's members get their 支付账户 (for 转账, 提现 and 结算) by signing the
 * 客户委托结算授权函: the platform sends the signing links from 收单商户管理 in the portal (there is no
 * open API route for it), each member signs by the SMS link and code.
 */
async function authoriseSettlement(
  web: string,
  outbox: string,
  portal: { user: string; password: string },
  members: { bizUserId: string; phone: string }[],
  log: (line: string) => void,
) {
  const staff = browser(web);
  const login = await staff('POST', '/api/auth/login', { username: portal.user, password: portal.password });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
  const sms = smsInbox(outbox);
  await sms.mark();
  const ids: string[] = [];
  for (const m of members) {
    const found = await staff<{ items: { id: string; bizUserId: string }[] }>('GET', `/api/members?keyword=${encodeURIComponent(m.bizUserId)}`);
    ids.push(found.body.items.find((x) => x.bizUserId === m.bizUserId)!.id);
  }
  const sent = await staff<{ id: string }>('POST', '/api/acquiring/signing-batches', { memberIds: ids });
  if (sent.status !== 202) throw new Error(`signing links refused: ${sent.status} ${JSON.stringify(sent.body)}`);
  for (const m of members) {
    const token = await sms.signingLink(m.phone);
    const member = browser(web);
    await member('GET', `/api/signing/${token}`);
    await member('POST', `/api/signing/${token}/code`);
    const signed = await member<{ error?: { id: string } }>('POST', `/api/signing/${token}/signature`, { code: await sms.code(m.phone) });
    if (signed.status !== 200) throw new Error(`客户委托结算授权函 not signed: ${signed.body.error?.id}`);
    log(`member ${m.bizUserId} signed 客户委托结算授权函`);
  }
}

interface OrderAnswer {
  orderNo: string;
  bizOrderNo: string;
  kind: string;
  status: string;
  amount: string;
  failureReason?: string | null;
}
interface MemberAnswer {
  bizUserId: string;
  status: string;
  accounts: { accountNo: string; kind: string; balance: string; available: string }[];
  bankCards: { cardId: string; cardNumber: string }[];
}
type ErrorAnswer = { error?: { id: string; message: string } };

export interface ScenarioResult {
  members: MemberAnswer[];
  orders: { what: string; status: number; order?: OrderAnswer; error?: { id: string; message: string } }[];
  callback: { verified: boolean; order: OrderAnswer } | null;
}

/**
 * The integration end to end, through signed requests only (the portal just for the keys): two
 * individuals by 平台代开户, their onboarding completed as the members would, then an order of each
 * kind followed until decided, the 充值's result also taken by callback and its signature checked.
 */
export async function runScenario(opts: {
  web: string;
  outbox: string;
  keys: OpenApiKeys;
  /** The platform's portal account: a post-settlement application sends the 客户委托结算授权函 from 收单商户管理. */
  portal?: { user: string; password: string };
  log?: (line: string) => void;
}): Promise<ScenarioResult> {
  const log = opts.log ?? console.log;
  const call = openApiCaller(opts.web, opts.keys);
  const run = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`.toUpperCase();
  const application = (await call<{ appNo: string; name: string; fundMode: string }>('GET', '/openapi/v1/application')).body;
  log(`application ${application.appNo} ${application.name} (${application.fundMode})`);

  const members: MemberAnswer[] = [];
  const identities: { bizUserId: string; phone: string }[] = [];
  for (const [n, name] of [
    [1, '陈一鸣'],
    [2, '林思远'],
  ] as const) {
    const who = sandboxIdentity(name);
    const seal = (v: string) => sealField(v, opts.keys.sensitiveKey);
    const body = {
      requestId: `scenario-${run}-${n}`,
      type: 'INDIVIDUAL',
      bizUserId: `SC-${run}-${n}`,
      realName: { name: who.name, idNumber: seal(who.idNumber), cardNumber: seal(who.cardNumber), phone: seal(who.phone) },
    };
    const created = await call<{ member: MemberAnswer; link: { url: string } } & ErrorAnswer>('POST', '/openapi/v1/members/proxy', body);
    if (created.status !== 201) throw new Error(`平台代开户 refused: ${created.body.error?.id} ${created.body.error?.message}`);
    const stage = await completeProxyOnboarding(opts.web, opts.outbox, created.body.link.url, who.phone);
    const member = (await call<MemberAnswer>('GET', `/openapi/v1/members/${body.bizUserId}`)).body;
    members.push(member);
    identities.push({ bizUserId: body.bizUserId, phone: who.phone });
    log(
      `member ${member.bizUserId} ${member.status} (onboarding ${stage}), accounts ${member.accounts.map((a) => a.kind).join(' ')}, card ${member.bankCards[0]?.cardNumber}`,
    );
  }
  const [a, b] = members as [MemberAnswer, MemberAnswer];
  if (application.fundMode === 'POST_SETTLEMENT' && opts.portal) await authoriseSettlement(opts.web, opts.outbox, opts.portal, identities, log);

  // Where the platform takes results: a signed POST the platform checks with the 通联公钥.
  let callback: ScenarioResult['callback'] = null;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
      callback ??= {
        verified: verifyResponse(opts.keys.platformPublicKey, headers, raw),
        order: (JSON.parse(raw.toString('utf8')) as { order: OrderAnswer }).order,
      };
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const notifyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/yst/notify`;

  const no = (kind: string) => `SC-${run}-${kind}`;
  const plan: [string, Record<string, unknown>][] = [
    ['充值', { kind: 'TOP_UP', bizOrderNo: no('TU'), amount: '200.00', receiver: a.bizUserId, paymentMethod: 'QUICK_PAY', notifyUrl }],
    ['充值（渠道拒绝）', { kind: 'TOP_UP', bizOrderNo: no('TUF'), amount: '1.44', receiver: a.bizUserId, paymentMethod: 'GATEWAY' }],
    ['消费', { kind: 'CONSUMPTION', bizOrderNo: no('C'), amount: '88.00', receiver: a.bizUserId, paymentMethod: 'WECHAT' }],
    ['退款', { kind: 'REFUND', bizOrderNo: no('R'), amount: '8.00', originalBizOrderNo: no('C') }],
    ['担保支付', { kind: 'GUARANTEED_PAYMENT', bizOrderNo: no('G'), amount: '50.00', receiver: b.bizUserId, paymentMethod: 'ALIPAY' }],
    ['担保确认', { kind: 'GUARANTEE_CONFIRMATION', bizOrderNo: no('GC'), amount: '20.00', originalBizOrderNo: no('G') }],
    ['转账', { kind: 'TRANSFER', bizOrderNo: no('T'), amount: '30.00', receiver: b.bizUserId, payer: a.bizUserId }],
    ['提现', { kind: 'WITHDRAWAL', bizOrderNo: no('W'), amount: '10.00', receiver: a.bizUserId, cardId: a.bankCards[0]?.cardId }],
    // 账后结算 exists for post-settlement applications only: what 消费 left in the member's 待结算户.
    ...(application.fundMode === 'POST_SETTLEMENT'
      ? ([['结算', { kind: 'SETTLEMENT', bizOrderNo: no('S'), amount: '40.00', receiver: a.bizUserId }]] as [string, Record<string, unknown>][])
      : []),
  ];
  const orders: ScenarioResult['orders'] = [];
  try {
    for (const [what, body] of plan) {
      const placed = await call<OrderAnswer & ErrorAnswer>('POST', '/openapi/v1/orders', body);
      if (placed.status >= 400) {
        orders.push({ what, status: placed.status, error: placed.body.error! });
        log(`${what.padEnd(8, '　')} refused: ${placed.body.error?.id} ${placed.body.error?.message}`);
        continue;
      }
      let order = placed.body;
      for (let i = 0; i < 150 && (order.status === 'CREATED' || order.status === 'PROCESSING'); i++) {
        await new Promise((r) => setTimeout(r, 100));
        order = (await call<OrderAnswer>('GET', `/openapi/v1/orders/${body.bizOrderNo as string}`)).body;
      }
      orders.push({ what, status: placed.status, order });
      log(`${what.padEnd(8, '　')} ${order.orderNo} ${order.kind} ${order.amount} ${order.status}${order.failureReason ? `（${order.failureReason}）` : ''}`);
    }
    for (let i = 0; i < 150 && !callback; i++) await new Promise((r) => setTimeout(r, 100));
    const got = callback as ScenarioResult['callback'];
    log(got ? `callback ${got.order.bizOrderNo} ${got.order.status}, platform signature ${got.verified ? 'valid' : 'INVALID'}` : 'no callback within 15 s');
  } finally {
    server.close();
  }
  const again = await call<OrderAnswer>('POST', '/openapi/v1/orders', plan[0]![1]);
  log(`same 商户订单号 again: HTTP ${again.status}, the same order ${again.body.orderNo}`);
  for (const m of members) {
    const now = (await call<MemberAnswer>('GET', `/openapi/v1/members/${m.bizUserId}`)).body;
    log(`${m.bizUserId}: ${now.accounts.map((x) => `${x.kind} ${x.balance}`).join(', ')}`);
  }
  return { members, orders, callback };
}

async function main() {
  const { YST_APP_NO, YST_PRIVATE_KEY, YST_PLATFORM_PUBLIC_KEY, YST_API = 'http://127.0.0.1:3000' } = process.env;
  if (process.argv[2] === 'scenario') {
    const keys =
      YST_APP_NO && YST_PRIVATE_KEY && YST_PLATFORM_PUBLIC_KEY && process.env.YST_SENSITIVE_KEY
        ? { appNo: YST_APP_NO, privateKey: YST_PRIVATE_KEY, platformPublicKey: YST_PLATFORM_PUBLIC_KEY, sensitiveKey: process.env.YST_SENSITIVE_KEY }
        : await setUpKeys({ base: YST_API, user: process.env.YST_USER ?? '1001001', password: process.env.YST_PASSWORD ?? 'Demo@2026' });
    // (the portal account below is the same one: 客户委托结算授权函 of a post-settlement application)
    const portal = { user: process.env.YST_USER ?? '1001001', password: process.env.YST_PASSWORD ?? 'Demo@2026' };
    await runScenario({ web: YST_API, outbox: process.env.YST_OUTBOX ?? 'http://127.0.0.1:8025', keys, portal });
    return;
  }
  // [path] for a GET, or [path, JSON body] for a POST (an order: /openapi/v1/orders '{"kind":"TOP_UP",…}').
  const [path = '/openapi/v1/application', body] = process.argv.slice(2);
  if (!YST_APP_NO || !YST_PRIVATE_KEY) throw new Error('set YST_APP_NO and YST_PRIVATE_KEY (and YST_PLATFORM_PUBLIC_KEY to check the answer)');
  const req = signRequest({ appNo: YST_APP_NO, privateKey: YST_PRIVATE_KEY, method: body ? 'POST' : 'GET', path, ...(body ? { body } : {}) });
  const res = await fetch(`${YST_API}${path}`, { method: req.method, headers: req.headers, ...(body ? { body: req.body } : {}) });
  const answer = Buffer.from(await res.arrayBuffer());
  const headers = Object.fromEntries(res.headers.entries());
  console.log(res.status, answer.toString('utf8'));
  if (YST_PLATFORM_PUBLIC_KEY) console.log('platform signature', verifyResponse(YST_PLATFORM_PUBLIC_KEY, headers, answer) ? 'valid' : 'INVALID');
}

if (require.main === module) main().catch((err) => (console.error(err), process.exit(1)));
