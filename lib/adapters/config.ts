import { z } from 'zod';

/**
 * The one configuration of every process (API, worker, scripts), parsed once
 * and failing fast at start-up with the name of each wrong variable.
 */
const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: z.string().url(),
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  /** The worker's task queue; a test gives its own worker a queue of its own. */
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('onboarding'),
  TEMPORAL_UI_URL: z.string().url().default('http://127.0.0.1:8233'),
  /** Where members open their links: the web UI's public base URL. */
  PUBLIC_BASE_URL: z.string().url().default('http://127.0.0.1:3000'),
  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  /** 32 bytes, base64: encrypts sensitive fields and Temporal payloads. */
  DATA_ENCRYPTION_KEY: z.string().refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded'),
  /** Signs sessions and keys the HMAC of SMS codes and link tokens. */
  SESSION_SECRET: z.string().min(32),
  SMTP_HOST: z.string().default('127.0.0.1'),
  SMTP_PORT: z.coerce.number().int().default(2525),
  SMTP_SECURE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  SMTP_USER: z.string().optional(),
  SMTP_PASS: z.string().optional(),
  MAIL_FROM: z.string().default('云商通开户平台 <no-reply@onboarding.local>'),
  TWILIO_ACCOUNT_SID: z.string().default('AC00000000000000000000000000000000'),
  TWILIO_AUTH_TOKEN: z.string().default('local-outbox-token'),
  TWILIO_FROM: z.string().default('+15005550006'),
  /** When set, the twilio client talks to this Twilio-compatible endpoint (the dev outbox). */
  TWILIO_API_BASE: z.string().url().optional(),
  /** The payment channel (收单渠道) the orders go through; the local sandbox (dev-channel/) in embedded mode and tests. */
  PAYMENT_CHANNEL_URL: z.string().url().default('http://127.0.0.1:8026'),
  PAYMENT_CHANNEL_MERCHANT: z.string().min(1).default('sandbox-merchant'),
  /** The merchant key that signs every request to the channel (HMAC-SHA256). */
  PAYMENT_CHANNEL_KEY: z.string().min(16).default('sandbox-channel-key-0123456789abcdef'),
  /**
   * The verification vendor: `sandbox` (dev-verifier/, embedded mode and tests, test deployments) or
   * `tencent-cloud` (the vendor itself: its URLs by default, and the account's own keys required).
   */
  VERIFIER: z.enum(['sandbox', 'tencent-cloud']).default('sandbox'),
  /**
   * Four-element verification: a vendor speaking Tencent Cloud FaceID's API (https://faceid.tencentcloudapi.com
   * for `tencent-cloud`); the sandbox vendor (dev-verifier/) otherwise.
   */
  VERIFIER_URL: z.string().url().default('http://127.0.0.1:8027'),
  /** 企业四要素 (OCR VerifyBizLicenseEnterprise4): https://ocr.tencentcloudapi.com; defaults to VERIFIER_URL (the sandbox vendor answers both). */
  ENTERPRISE_VERIFIER_URL: z.string().url().optional(),
  VERIFIER_SECRET_ID: z.string().min(1).default('AKIDsandbox0000000000000000000000000'),
  VERIFIER_SECRET_KEY: z.string().min(16).default('sandbox-verifier-key-0123456789abcd'),
  /**
   * The vendor test environments' members are verified by, whatever VERIFIER says: the sandbox
   * (dev-verifier/). Defaults to VERIFIER_URL while VERIFIER is `sandbox`, else the local sandbox.
   */
  TEST_VERIFIER_URL: z.string().url().optional(),
  /**
   * 测试环境 initial password of a new application's test login (seed 003 §5.3.1: allinpay@888), changed
   * at first login. Production logins always get a random one.
   */
  TEST_INITIAL_PASSWORD: z
    .string()
    .min(8, 'at least 8 characters')
    .max(32, 'at most 32 characters')
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .default('allinpay@888'),
  /** Per call to the vendor; then VERIFIER_RETRIES more tries with a doubling pause. */
  VERIFIER_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  VERIFIER_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  /** Calls a second one process makes to the vendor (its contract); import rows wait their turn. */
  VERIFIER_RATE_PER_SECOND: z.coerce.number().min(0.1).max(10_000).default(50),
  /** How long a verdict on the same four elements is reused instead of asking (and paying) the vendor again. */
  VERIFIER_CACHE_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 365)
    .default(24),
  /** 认证中 longer than this (the oldest waiting member) is a vendor outage the operators are alerted to. */
  VERIFICATION_ALERT_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  /** Link to the dev outbox page (embedded mode only). */
  OUTBOX_URL: z.string().url().optional(),
  /** The sandbox channel's bank statement, where 对公户 deposits show (embedded mode only; production: the bank's own statement). */
  SANDBOX_BANK_STATEMENT_URL: z.string().url().optional(),
  /** How often an application's event delivery looks for new member events when nothing woke it. */
  WEBHOOK_POLL_MS: z.coerce.number().int().min(100).max(3_600_000).default(5_000),
  /** Failed logins one client address may make in 15 minutes (many users behind one NAT address share it). */
  LOGIN_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(100),
  /** Worker's own HTTP port for /healthz, /readyz and /metrics (0: any free port). */
  WORKER_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3002),
  /**
   * Workflows the worker keeps in memory between their tasks. A flow asleep on a
   * 7-day timer needs none: evicted, it is replayed from its short history when it wakes.
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(500),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof schema>;

/** The vendor's own endpoints and the sandbox's dev keys, which a real vendor account never has. */
export const TENCENT_CLOUD_URLS = { faceId: 'https://faceid.tencentcloudapi.com', ocr: 'https://ocr.tencentcloudapi.com' } as const;
const LOCAL_SANDBOX_VERIFIER_URL = 'http://127.0.0.1:8027';
/** The sandbox vendor's keys (dev-verifier/ accepts these): test environments always use them. */
export const SANDBOX_VERIFIER_KEYS = { id: 'AKIDsandbox0000000000000000000000000', key: 'sandbox-verifier-key-0123456789abcd' };

export function parseConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  const issues = parsed.success ? [] : parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  if (parsed.success && parsed.data.VERIFIER === 'tencent-cloud') {
    const c = parsed.data;
    if (c.VERIFIER_SECRET_ID === SANDBOX_VERIFIER_KEYS.id || c.VERIFIER_SECRET_KEY === SANDBOX_VERIFIER_KEYS.key)
      issues.push('  VERIFIER_SECRET_ID / VERIFIER_SECRET_KEY: VERIFIER=tencent-cloud needs the vendor account’s own keys, not the sandbox’s');
    if (env.VERIFIER_URL === undefined) c.VERIFIER_URL = TENCENT_CLOUD_URLS.faceId;
    if (env.TEST_VERIFIER_URL === undefined) c.TEST_VERIFIER_URL = LOCAL_SANDBOX_VERIFIER_URL;
    if (env.ENTERPRISE_VERIFIER_URL === undefined) c.ENTERPRISE_VERIFIER_URL = TENCENT_CLOUD_URLS.ocr;
  }
  if (parsed.success) parsed.data.TEST_VERIFIER_URL ??= parsed.data.VERIFIER_URL;
  if (issues.length > 0 || !parsed.success) throw new Error(`Invalid configuration:\n${issues.join('\n')}`);
  return parsed.data;
}

let cached: Config | undefined;
export function config(): Config {
  cached ??= parseConfig();
  return cached;
}
