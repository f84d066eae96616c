import type { PrismaClient } from '@prisma/client';
import type pg from 'pg';
import { type Clock, systemClock } from './adapters/clock';
import type { Config } from './adapters/config';
import { createPrisma, createSqlPool } from './adapters/db';
import { FieldCrypto } from './adapters/field-crypto';
import { type Mailer, createSmtpMailer } from './adapters/mail';
import { type SmsProvider, createTwilioSmsProvider } from './adapters/sms';
import { SmsChallenges } from './business/sms-challenges';
import { SmsOutbox } from './business/sms-outbox';
import { SigningLinks } from './business/signing-links';
import { type BankCardVerifier, type EnterpriseVerifier, createBizLicenseVerifier, createFaceIdVerifier } from './adapters/verification';
import { pacedEnterpriseVerifier, pacedVerifier, rememberingEnterpriseVerdicts, rememberingVerdicts } from './business/verification-verdicts';
import { enterpriseVerifierByEnvironment, environmentLookup, verifierByEnvironment } from './business/application-environments';
import { SANDBOX_VERIFIER_KEYS } from './adapters/config';
import { type B2bStoreAssistant, type Weiqifu, createB2bStoreAssistant, createWeiqifu } from './adapters/payment-solutions';
import { type PaymentChannel, createPaymentChannel } from './adapters/payment-channel';

/** The services both processes (API and worker) build from one configuration. */
export interface Services {
  prisma: PrismaClient;
  /** Plain SQL for the hot paths of the member's pages and actions (lib/adapters/db.ts). */
  sql: pg.Pool;
  crypto: FieldCrypto;
  sms: SmsProvider;
  mailer: Mailer;
  outbox: SmsOutbox;
  challenges: SmsChallenges;
  signingLinks: SigningLinks;
  verifier: BankCardVerifier;
  /** 企业四要素: company name, credit code, legal representative and the representative's ID number. */
  enterpriseVerifier: EnterpriseVerifier;
  /** The acquirer orders go through (lib/adapters/payment-channel.ts). */
  channel: PaymentChannel;
  /** 小程序B2B门店助手 at the same channel (lib/adapters/payment-solutions.ts). */
  b2bStoreAssistant: B2bStoreAssistant;
  /** 微企付 at the same channel: balances and files. */
  weiqifu: Weiqifu;
  /** What "now" is for calendar decisions (TEST_NOW shifts it). */
  clock: Clock;
  /** Where members open their links (the web UI). */
  publicBaseUrl: string;
  /** A new application's test login starts with this password (TEST_INITIAL_PASSWORD). */
  testInitialPassword: string;
}

export function createServices(config: Config, opts: { poolSize?: number; clock?: Clock } = {}): Services {
  const clock = opts.clock ?? systemClock();
  const prisma = createPrisma(config.DATABASE_URL, opts.poolSize);
  const sql = createSqlPool(config.DATABASE_URL, opts.poolSize);
  const crypto = new FieldCrypto(config.DATA_ENCRYPTION_KEY, config.SESSION_SECRET);
  const sms = createTwilioSmsProvider({
    accountSid: config.TWILIO_ACCOUNT_SID,
    authToken: config.TWILIO_AUTH_TOKEN,
    from: config.TWILIO_FROM,
    apiBase: config.TWILIO_API_BASE,
  });
  const mailer = createSmtpMailer({
    host: config.SMTP_HOST,
    port: config.SMTP_PORT,
    secure: config.SMTP_SECURE,
    user: config.SMTP_USER,
    pass: config.SMTP_PASS,
    from: config.MAIL_FROM,
  });
  const outbox = new SmsOutbox(sql, crypto, sms);
  const challenges = new SmsChallenges(sql, crypto, outbox, config.SESSION_SECRET, clock);
  const signingLinks = new SigningLinks(prisma, crypto, outbox, challenges, config.PUBLIC_BASE_URL, clock);
  const channelAccount = { url: config.PAYMENT_CHANNEL_URL, merchantId: config.PAYMENT_CHANNEL_MERCHANT, key: config.PAYMENT_CHANNEL_KEY };
  const channel = createPaymentChannel(channelAccount);
  // One vendor account for both products (FaceID, OCR); verdicts of both in one store.
  const vendor = {
    secretId: config.VERIFIER_SECRET_ID,
    secretKey: config.VERIFIER_SECRET_KEY,
    timeoutMs: config.VERIFIER_TIMEOUT_MS,
    retries: config.VERIFIER_RETRIES,
  };
  const verdicts = { sql, crypto, hours: config.VERIFIER_CACHE_HOURS };
  const environmentOf = environmentLookup(sql);
  // While VERIFIER is the sandbox both environments ask the same sandbox with its keys; else the sandbox's own keys.
  const sandbox =
    config.VERIFIER === 'sandbox'
      ? vendor
      : { secretId: SANDBOX_VERIFIER_KEYS.id, secretKey: SANDBOX_VERIFIER_KEYS.key, timeoutMs: config.VERIFIER_TIMEOUT_MS, retries: config.VERIFIER_RETRIES };
  const testVerifierUrl = config.TEST_VERIFIER_URL ?? config.VERIFIER_URL;
  return {
    prisma,
    sql,
    crypto,
    sms,
    mailer,
    outbox,
    challenges,
    signingLinks,
    // Production: stored verdicts first (a retry or a repeat is never asked twice), then the vendor at its
    // contracted pace. Test environments: the sandbox vendor, nothing remembered.
    verifier: verifierByEnvironment({
      environmentOf,
      production: rememberingVerdicts(pacedVerifier(createFaceIdVerifier({ url: config.VERIFIER_URL, ...vendor }), config.VERIFIER_RATE_PER_SECOND), verdicts),
      test: createFaceIdVerifier({ url: testVerifierUrl, ...sandbox }),
    }),
    enterpriseVerifier: enterpriseVerifierByEnvironment({
      environmentOf,
      production: rememberingEnterpriseVerdicts(
        pacedEnterpriseVerifier(
          createBizLicenseVerifier({ url: config.ENTERPRISE_VERIFIER_URL ?? config.VERIFIER_URL, ...vendor }),
          config.VERIFIER_RATE_PER_SECOND,
        ),
        verdicts,
      ),
      test: createBizLicenseVerifier({ url: testVerifierUrl, ...sandbox }),
    }),
    channel,
    b2bStoreAssistant: createB2bStoreAssistant(channelAccount),
    weiqifu: createWeiqifu(channelAccount),
    clock,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    testInitialPassword: config.TEST_INITIAL_PASSWORD,
  };
}
