/**
 * Per-test-file access to the running system: the real API app over real
 * services, a Temporal client, the outbox over HTTP, and fresh tenants.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import type { Role } from '@prisma/client';
import type { Client } from '@temporalio/client';
import request from 'supertest';
import { type App, createApp } from '../../api/app';
import type { AppDeps } from '../../api/context';
import type { OutboxMessage } from '../../dev-outbox/outbox';
import { systemClock } from '../../lib/adapters/clock';
import { type Config, parseConfig } from '../../lib/adapters/config';
import { maskPhone } from '../../domain/masking';
import { type Services, createServices } from '../../lib/services';
import { connectTemporalClient } from '../../lib/adapters/temporal';
import { perFile } from './per-file';
import { openMemberAccounts, openSystemAccounts } from '../../lib/business/accounts';
import type { MemberAccountKind } from '../../domain/ledger';
import { sealedBankCard } from '../../lib/business/bank-cards';

export { eventually } from './eventually';

/** The app's clock as the tests read it (TEST_NOW shifts both alike): what is "today" for a test. */
const testClock = systemClock();
export const testNow = (): Date => testClock.now();

export interface Harness {
  config: Config;
  services: Services;
  temporal: Client;
  app: App;
  deps: AppDeps;
  stop(): Promise<void>;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  const raw = process.env.TEST_CONFIG;
  if (!raw) throw new Error('TEST_CONFIG missing: run through jest (global setup starts the components)');
  const base = JSON.parse(raw) as Record<string, unknown>;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = String(v);
  return parseConfig({ ...env, ...overrides });
}

export async function startHarness(opts: { linkValidityMs?: number; updateTimeoutMs?: number; config?: Record<string, string> } = {}): Promise<Harness> {
  const config = testConfig(opts.config);
  const services = createServices(config, { poolSize: 5 });
  const temporal = await connectTemporalClient(config);
  const deps: AppDeps = { config, services, temporal, linkValidityMs: opts.linkValidityMs, updateTimeoutMs: opts.updateTimeoutMs };
  const app = createApp(deps, { log: () => undefined });
  return {
    config,
    services,
    temporal,
    app,
    deps,
    async stop() {
      await app.close();
      await services.prisma.$disconnect();
      await temporal.connection.close();
    },
  };
}

/**
 * The harness of one test file: started before its first test and stopped after its last. The
 * object returned stands for the running harness, so a file writes `const h = fileHarness()` once.
 */
export function fileHarness(opts: Parameters<typeof startHarness>[0] = {}): Harness {
  return perFile(
    () => startHarness(opts),
    (h) => h.stop(),
  );
}

/** A fresh application (tenant) with one platform user; returns its login. */
export async function createTenant(services: Services, role: Role = 'APPLICATION', fundMode: 'POST_SETTLEMENT' | 'REALTIME_SETTLEMENT' = 'POST_SETTLEMENT') {
  const suffix = randomUUID().slice(0, 8);
  const provider = await services.prisma.serviceProvider.create({ data: { name: `测试服务商-${suffix}` } });
  const application = await services.prisma.application.create({
    data: {
      appNo: `T${suffix}`,
      name: `测试应用-${suffix}`,
      fundMode,
      contactEmail: `contact-${suffix}@platform.test`,
      serviceProviderId: provider.id,
    },
  });
  // As the application onboarding flow does when it creates an application.
  await openSystemAccounts(services.prisma, application.id);
  const password = 'Test@2026';
  const user = await services.prisma.user.create({
    data: {
      username: role === 'APPLICATION' ? application.appNo : `${role.toLowerCase()}-${suffix}`,
      passwordHash: await hash(password),
      role,
      displayName: `测试用户-${suffix}`,
      applicationId: role === 'APPLICATION' ? application.id : null,
    },
  });
  return { application, user, username: user.username, password };
}

/** A supertest agent signed in as the given user (keeps the session cookie). */
export async function signIn(app: App, username: string, password: string) {
  const agent = request.agent(app.app);
  const res = await agent.post('/api/auth/login').send({ username, password });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return agent;
}

/** Waits for an SMS to this phone in the outbox and returns its 6-digit code. */
export async function smsCodeFor(config: Config, phone: string, after: Date, timeoutMs = 10_000): Promise<string> {
  const message = await outboxWait(config, (m) => m.channel === 'sms' && m.to === `+86${phone}` && new Date(m.receivedAt) >= after, timeoutMs);
  const code = /验证码(\d{6})/.exec(message.body)?.[1];
  if (!code) throw new Error(`no code in SMS: ${message.body}`);
  return code;
}

export async function outboxMessages(config: Config): Promise<OutboxMessage[]> {
  const res = await fetch(`${config.OUTBOX_URL}/api/messages`);
  return (await res.json()) as OutboxMessage[];
}

export async function outboxWait(config: Config, match: (m: OutboxMessage) => boolean, timeoutMs = 10_000): Promise<OutboxMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await outboxMessages(config)).find(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error('expected message did not reach the outbox');
    await new Promise((r) => setTimeout(r, 100));
  }
}

let phoneSeq = Math.floor(Math.random() * 1_000_000);
/** A phone number no other test uses. */
export function uniquePhone(): string {
  phoneSeq = (phoneSeq + 7919) % 100_000_000;
  return `139${String(phoneSeq).padStart(8, '0')}`;
}

/**
 * A member that finished onboarding (normal, phone bound), written straight to
 * the database: for flows that start from onboarded members (signing links, split rules).
 */
export async function createOnboardedMember(
  services: Services,
  applicationId: string,
  opts: { phone?: string | null; status?: 'NORMAL' | 'PENDING'; name?: string; /** a verified card in its name (提现 needs one) */ card?: boolean } = {},
) {
  const { prisma, crypto } = services;
  const phone = opts.phone === undefined ? uniquePhone() : opts.phone;
  const name = opts.name ?? '测试会员';
  const member = await prisma.member.create({
    data: {
      applicationId,
      bizUserId: `m-${randomUUID().slice(0, 8)}`,
      type: 'INDIVIDUAL',
      status: opts.status ?? 'NORMAL',
      displayName: name,
      personNameEnc: crypto.encrypt(name),
      ...(phone ? { boundPhoneEnc: crypto.encrypt(phone), boundPhoneMasked: maskPhone(phone), boundPhoneDigest: crypto.digest('phone', phone) } : {}),
      ...(opts.card
        ? {
            bankCards: {
              create: sealedBankCard(
                crypto,
                { cardNumber: `622202${String(Math.floor(Math.random() * 1e13)).padStart(13, '0')}`, holderName: name, reservedPhone: phone ?? uniquePhone() },
                testNow(),
              ),
            },
          }
        : {}),
    },
  });
  return { ...member, phone };
}

/** An enterprise member that passed 企业四要素 (as its 法人信息 step leaves it), written straight to the database. */
export async function createVerifiedEnterprise(services: Services, applicationId: string, companyName: string) {
  return services.prisma.member.create({
    data: {
      applicationId,
      bizUserId: `e-${randomUUID().slice(0, 8)}`,
      type: 'ENTERPRISE',
      status: 'NORMAL',
      displayName: companyName,
      companyName,
      creditCode: '91440300MA5F23456T',
      realNameVerifiedAt: testNow(),
    },
  });
}

/** An onboarded member (createOnboardedMember) with these accounts open, for tests of the money side. */
export async function createMemberWithAccounts(
  services: Services,
  applicationId: string,
  kinds: MemberAccountKind[] = ['BOOKKEEPING', 'PAYMENT', 'PENDING_SETTLEMENT'],
  opts: Parameters<typeof createOnboardedMember>[2] = {},
) {
  const member = await createOnboardedMember(services, applicationId, opts);
  await openMemberAccounts(services.sql, { applicationId, memberId: member.id, kinds, agreementId: null });
  return member;
}

/** The token of the newest signing link SMS to this phone. */
export async function signingTokenFor(config: Config, phone: string, after: Date): Promise<string> {
  const message = await outboxWait(
    config,
    (m) => m.channel === 'sms' && m.to === `+86${phone}` && /\/sign\//.test(m.body) && new Date(m.receivedAt) >= after,
    20_000,
  );
  return /\/sign\/([A-Za-z0-9_-]{32})/.exec(message.body)![1]!;
}

/** The text of a PDF, read back with pdf.js (pdf-parse) in a child process. */
export function pdfText(pdf: Buffer): string {
  return execFileSync(process.execPath, [require.resolve('./pdf-text.mjs')], { input: pdf, encoding: 'utf8' });
}

/** A supertest parser that keeps a binary body (files) as a Buffer: `.buffer(true).parse(binaryBody)`. */
export function binaryBody(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

/** A fresh platform (tenant) and a browser-like agent signed in as it. */
export async function signedInTenant(h: Harness, ...args: Parameters<typeof createTenant> extends [unknown, ...infer R] ? R : never) {
  const tenant = await createTenant(h.services, ...args);
  return { tenant, agent: await signIn(h.app, tenant.username, tenant.password) };
}
