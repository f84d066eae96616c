/**
 * The open API's answers as zod schemas: what the OpenAPI document (document.ts) says each route
 * answers, and what the tests check real answers against. Requests are validated by the portal's
 * own schemas (members, orders), the request id by `requestIdSchema`.
 */
import { z } from 'zod';
import { SEALED_FIELD } from '../../lib/business/sensitive-fields';
import { companySchema } from '../member-onboarding/schemas';

export const requestIdSchema = z.object({
  requestId: z.string({ error: '请填写请求号 requestId' }).regex(/^[A-Za-z0-9_-]{8,64}$/, '请求号 requestId 须为8-64位字母、数字、下划线或连字符'),
});

const instant = z.iso.datetime();
const yuanText = z.string().regex(/^-?\d+\.\d{2}$/);

export const applicationAnswer = z.object({
  appNo: z.string(),
  name: z.string(),
  fundMode: z.enum(['POST_SETTLEMENT', 'REALTIME_SETTLEMENT']),
  live: z.boolean(),
  /** TEST: the test environment (测试联调, sandbox vendors); PRODUCTION: the live one. */
  environment: z.enum(['TEST', 'PRODUCTION']),
});

export const memberAnswer = z.object({
  bizUserId: z.string(),
  type: z.enum(['INDIVIDUAL', 'ENTERPRISE']),
  status: z.string(),
  name: z.string(),
  boundPhone: z.string().nullable(),
  realNameVerified: z.boolean(),
  createdAt: instant,
  onboarding: z
    .object({
      attempt: z.number().int().positive(),
      mode: z.enum(['SELF_SERVICE', 'PROXY']),
      stage: z.enum(['CONFIRMATION', 'INFORMATION', 'PHONE_BINDING', 'AGREEMENT_SIGNING', 'COMPLETED', 'EXPIRED', 'CANCELLED']),
      stageLabel: z.string(),
      expiresAt: instant,
    })
    .nullable(),
  accounts: z.array(z.object({ accountNo: z.string(), kind: z.string(), balance: yuanText, available: yuanText })),
  /** Verified cards in the member's name; 提现 names one by cardId. */
  bankCards: z.array(z.object({ cardId: z.uuid(), cardNumber: z.string(), corporate: z.boolean(), verifiedAt: instant })),
});

export const linkAnswer = z.object({
  url: z.url(),
  expiresAt: instant,
  qrCode: z.string().startsWith('data:image/'),
});

export const memberWithLinkAnswer = z.object({ member: memberAnswer, link: linkAnswer });
export const rotatedLinkAnswer = z.object({ link: linkAnswer });

export const uploadAnswer = z.object({
  uploadId: z.uuid(),
  mimeType: z.enum(['image/jpeg', 'image/png']),
  size: z.number().int().positive(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export const orderAnswer = z.object({
  orderNo: z.string(),
  bizOrderNo: z.string(),
  kind: z.enum(['TOP_UP', 'CONSUMPTION', 'GUARANTEED_PAYMENT', 'GUARANTEE_CONFIRMATION', 'WITHDRAWAL', 'TRANSFER', 'REFUND', 'SETTLEMENT']),
  status: z.enum(['CREATED', 'PROCESSING', 'SUCCESS', 'FAILED', 'CLOSED']),
  amount: yuanText,
  fee: yuanText,
  receiver: z.string(),
  payer: z.string().nullable(),
  paymentMethod: z.string().nullable(),
  originalBizOrderNo: z.string().nullable(),
  failureReason: z.string().nullable(),
  channelSerial: z.string().nullable(),
  backendSerial: z.string().nullable(),
  createdAt: instant,
  finishedAt: instant.nullable(),
});

/** The result callback's body, POSTed to the order's notifyUrl. */
export const orderResultCallback = z.object({ type: z.literal('order.result'), appNo: z.string(), order: orderAnswer });

export const errorAnswer = z.object({
  error: z.object({
    id: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
    fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

const sealed = z.string().regex(SEALED_FIELD).describe('SM4 加密的值：KEY_ID:IV:CIPHERTEXT（十六进制）');
const uploadIdText = z.uuid();

/** 平台代开户 as it travels: the portal's fields, the sensitive ones sealed (opened, they are checked by proxyMemberSchema). */
export const proxyMemberWire = z.discriminatedUnion('type', [
  requestIdSchema.extend({
    type: z.literal('INDIVIDUAL'),
    bizUserId: z.string().min(1).max(64),
    realName: z.object({ name: z.string(), idNumber: sealed, cardNumber: sealed, phone: sealed }),
  }),
  requestIdSchema.extend({
    type: z.literal('ENTERPRISE'),
    bizUserId: z.string().min(1).max(64),
    company: companySchema,
    legalRepresentative: z.object({ name: z.string(), idNumber: sealed, phone: sealed }),
    photos: z.object({ businessLicence: uploadIdText, idFront: uploadIdText, idBack: uploadIdText }),
  }),
]);
