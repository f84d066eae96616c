import type { PrismaClient } from '@prisma/client';
import type { Config } from './config';
import { createPrisma } from './db';
import { FieldCrypto } from './field-crypto';
import { type Mailer, createSmtpMailer } from './mail';
import { type SmsProvider, createTwilioSmsProvider } from './sms';
import { SmsChallenges } from './sms-challenges';
import { type BankCardVerifier, createLocalVerifier } from './verification';

/** The services both processes (API and worker) build from one configuration. */
export interface Services {
  prisma: PrismaClient;
  crypto: FieldCrypto;
  sms: SmsProvider;
  mailer: Mailer;
  challenges: SmsChallenges;
  verifier: BankCardVerifier;
}

export function createServices(config: Config, opts: { poolSize?: number } = {}): Services {
  const prisma = createPrisma(config.DATABASE_URL, opts.poolSize);
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
  const challenges = new SmsChallenges(prisma, crypto, sms, config.SESSION_SECRET);
  return { prisma, crypto, sms, mailer, challenges, verifier: createLocalVerifier() };
}
