/**
 * The OpenAPI 3.1 document of the open API (/openapi/v1), generated from the zod schemas the routes
 * validate with (requests) and answer with (schemas.ts), with an example of each request and answer
 * and the error ids each route may answer. Served at /openapi/v1/openapi.json and read as a page at
 * /openapi/v1/docs; a test checks that every mounted route is here and every example validates.
 */
import { z } from 'zod';
import type { ErrorId } from '../../domain/errors';
import { renderDocsPage } from '../docs-page';
import { documentPath, errorResponses, inputSchema, outputSchema } from '../document-parts';
import { sealField } from '../../lib/business/sensitive-fields';
import { addMemberSchema, proxyMemberSchema } from '../members/schemas';
import { createOrderSchema, notifySchema } from '../orders/schemas';
import {
  applicationAnswer,
  errorAnswer,
  memberWithLinkAnswer,
  orderAnswer,
  orderResultCallback,
  requestIdSchema,
  rotatedLinkAnswer,
  uploadAnswer,
  memberAnswer,
  proxyMemberWire,
} from './schemas';

/** The key the examples' sensitive fields are sealed with (an example only: never a real application's). */
export const EXAMPLE_SENSITIVE_KEY = '0123456789abcdeffedcba9876543210';
const EXAMPLE_IV = '00112233445566778899aabbccddeeff';
/** The example's sensitive fields, sealed with EXAMPLE_SENSITIVE_KEY (a fixed IV, so the document is the same every time). */
const SEALED = {
  idNumber: sealField('11010519491231002X', EXAMPLE_SENSITIVE_KEY, EXAMPLE_IV),
  cardNumber: sealField('6217001234567890122', EXAMPLE_SENSITIVE_KEY, EXAMPLE_IV),
  phone: sealField('13800138000', EXAMPLE_SENSITIVE_KEY, EXAMPLE_IV),
};

export interface OpenRoute {
  method: 'GET' | 'POST';
  /** Express form (`/members/:bizUserId`), under /openapi/v1. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  /** `opened`: the schema the example satisfies once its sealed fields are opened (the service's own). */
  request?: { schema: z.ZodType; example: unknown; contentType?: string; opened?: z.ZodType };
  answer: { status: number; schema: z.ZodType; example: unknown };
  errors: ErrorId[];
}

const SIGNATURE_ERRORS: ErrorId[] = [
  'openapi.unsigned',
  'openapi.timestamp',
  'openapi.no_public_key',
  'openapi.signature_invalid',
  'openapi.replayed',
  'openapi.provider_not_enabled',
  'openapi.not_provider_application',
];
const ONCE_ERRORS: ErrorId[] = ['openapi.request_id_conflict', 'openapi.request_in_progress'];

const memberExample = {
  bizUserId: 'M-10001',
  type: 'INDIVIDUAL',
  status: 'PENDING',
  name: '张*',
  boundPhone: null,
  realNameVerified: false,
  createdAt: '2026-12-01T02:00:00.000Z',
  onboarding: { attempt: 1, mode: 'SELF_SERVICE', stage: 'INFORMATION', stageLabel: '填写信息', expiresAt: '2026-12-08T02:00:00.000Z' },
  accounts: [],
  bankCards: [],
};
const linkExample = {
  url: 'https://onboarding.example.com/onboard/AbCdEfGhIjKlMnOpQrStUvWxYz012345',
  expiresAt: '2026-12-08T02:00:00.000Z',
  qrCode: 'data:image/png;base64,iVBORw0KGgo=',
};
const orderExample = {
  orderNo: 'YST20261201A1B2C3D4E5F60718',
  bizOrderNo: 'T-20261201-0001',
  kind: 'TOP_UP',
  status: 'SUCCESS',
  amount: '200.00',
  fee: '0.00',
  receiver: 'M-10001',
  payer: null,
  paymentMethod: 'QUICK_PAY',
  originalBizOrderNo: null,
  failureReason: null,
  channelSerial: 'CHMIN2Z3K4000001',
  backendSerial: 'BKMIN2Z3K4000002',
  createdAt: '2026-12-01T02:00:00.000Z',
  finishedAt: '2026-12-01T02:00:03.000Z',
};

export const OPEN_ROUTES: OpenRoute[] = [
  {
    method: 'GET',
    path: '/application',
    operationId: 'getApplication',
    summary: '调用方应用',
    answer: {
      status: 200,
      schema: applicationAnswer,
      example: { appNo: '1001001', name: '示例商城', fundMode: 'POST_SETTLEMENT', live: true, environment: 'PRODUCTION' },
    },
    errors: [],
  },
  {
    method: 'POST',
    path: '/members',
    operationId: 'addMember',
    summary: '新增会员（自主开户）',
    description: '会员及其开户链接与二维码；同一 requestId 只处理一次。',
    request: {
      schema: requestIdSchema.extend(addMemberSchema.shape),
      example: { requestId: 'req-20261201-0001', type: 'INDIVIDUAL', bizUserId: 'M-10001', name: '张三' },
    },
    answer: { status: 201, schema: memberWithLinkAnswer, example: { member: memberExample, link: linkExample } },
    errors: [...ONCE_ERRORS, 'member.duplicate'],
  },
  {
    method: 'POST',
    path: '/members/proxy',
    operationId: 'addProxyMember',
    summary: '平台代开户',
    description:
      '敏感字段（realName.idNumber / cardNumber / phone, legalRepresentative.idNumber / phone）以 SM4 加密：KEY_ID:IV:CIPHERTEXT（SM4-CBC, PKCS#7, 十六进制）。企业会员的三张照片先经 POST /uploads 上传。',
    request: {
      schema: proxyMemberWire,
      opened: proxyMemberSchema,
      example: {
        requestId: 'req-20261201-0002',
        type: 'INDIVIDUAL',
        bizUserId: 'M-10002',
        realName: { name: '李晓红', idNumber: SEALED.idNumber, cardNumber: SEALED.cardNumber, phone: SEALED.phone },
      },
    },
    answer: {
      status: 201,
      schema: memberWithLinkAnswer,
      example: {
        member: {
          ...memberExample,
          bizUserId: 'M-10002',
          name: '李*红',
          realNameVerified: true,
          onboarding: { ...memberExample.onboarding, mode: 'PROXY', stage: 'CONFIRMATION', stageLabel: '待会员确认' },
        },
        link: linkExample,
      },
    },
    errors: [
      ...ONCE_ERRORS,
      'openapi.field_sealing',
      'openapi.field_key_unknown',
      'openapi.no_encryption_key',
      'openapi.upload_unknown',
      'verification.failed',
      'member.duplicate',
    ],
  },
  {
    method: 'GET',
    path: '/members/:bizUserId',
    operationId: 'getMember',
    summary: '会员：状态、开户阶段、账户与余额、银行卡（提现用 cardId）',
    answer: {
      status: 200,
      schema: memberAnswer,
      example: {
        ...memberExample,
        status: 'NORMAL',
        realNameVerified: true,
        onboarding: { ...memberExample.onboarding, stage: 'COMPLETED', stageLabel: '开户完成' },
        accounts: [{ accountNo: '10010011000000000123', kind: 'PAYMENT', balance: '200.00', available: '200.00' }],
        bankCards: [
          { cardId: '5f0c7b7f-3a10-4c1e-9a51-2f0c7b7f3a10', cardNumber: '621700******0122', corporate: false, verifiedAt: '2026-12-01T02:10:00.000Z' },
        ],
      },
    },
    errors: ['member.not_found'],
  },
  {
    method: 'POST',
    path: '/members/:bizUserId/onboarding',
    operationId: 'reissueOnboarding',
    summary: '重新发起开户',
    request: { schema: requestIdSchema, example: { requestId: 'req-20261201-0003' } },
    answer: {
      status: 201,
      schema: memberWithLinkAnswer,
      example: { member: { ...memberExample, onboarding: { ...memberExample.onboarding, attempt: 2 } }, link: linkExample },
    },
    errors: [...ONCE_ERRORS, 'member.not_found', 'onboarding.still_active', 'onboarding.completed'],
  },
  {
    method: 'POST',
    path: '/members/:bizUserId/onboarding/link',
    operationId: 'rotateOnboardingLink',
    summary: '重新生成开户链接（旧链接失效）',
    request: { schema: requestIdSchema, example: { requestId: 'req-20261201-0004' } },
    answer: { status: 200, schema: rotatedLinkAnswer, example: { link: linkExample } },
    errors: [...ONCE_ERRORS, 'member.not_found', 'onboarding.link_expired'],
  },
  {
    method: 'POST',
    path: '/uploads',
    operationId: 'uploadPhoto',
    summary: '上传代开户照片（营业执照、法人身份证人像面 / 国徽面）',
    description: '请求体为图片字节（JPG 或 PNG，≤ 5MB），签名覆盖这些字节；uploadId 当日内可用。',
    request: { schema: z.string(), example: '<image bytes>', contentType: 'application/octet-stream' },
    answer: {
      status: 201,
      schema: uploadAnswer,
      example: { uploadId: '7b1f3e1c-8a5a-4c1e-9a51-2f0c7b7f3a10', mimeType: 'image/png', size: 68, sha256: 'a'.repeat(64) },
    },
    errors: ['upload.missing', 'upload.wrong_type', 'request.too_large'],
  },
  {
    method: 'POST',
    path: '/orders',
    operationId: 'placeOrder',
    summary: '下单（充值、消费、担保支付 / 确认、提现、转账、退款、结算）',
    description:
      '同一商户订单号只下单一次：相同请求返回首次结果（200），不同内容 409。带 notifyUrl 且经支付渠道（或担保支付）的订单，结果确定后以平台签名 POST 至 notifyUrl（order.result），失败重试 24 小时。',
    request: {
      schema: createOrderSchema.and(notifySchema),
      example: {
        kind: 'TOP_UP',
        bizOrderNo: 'T-20261201-0001',
        amount: '200.00',
        receiver: 'M-10001',
        paymentMethod: 'QUICK_PAY',
        notifyUrl: 'https://platform.example.com/yst/notify',
      },
    },
    answer: { status: 201, schema: orderAnswer, example: { ...orderExample, status: 'PROCESSING', backendSerial: null, finishedAt: null } },
    errors: [
      'order.duplicate_conflict',
      'member.not_found',
      'order.not_found',
      'order.insufficient_balance',
      'order.member_not_normal',
      'order.account_missing',
      'order.card_invalid',
      'order.same_member',
      'order.not_refundable',
      'order.not_confirmable',
      'order.confirm_exceeds',
      'order.refund_exceeds',
    ],
  },
  {
    method: 'GET',
    path: '/orders/:bizOrderNo',
    operationId: 'getOrder',
    summary: '订单查询（按商户订单号）',
    answer: { status: 200, schema: orderAnswer, example: orderExample },
    errors: ['order.not_found'],
  },
];

export function openApiDocument(serverUrl = '/openapi/v1') {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of OPEN_ROUTES) {
    const params = [...r.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const errors = [...(r.request ? (['request.invalid', 'request.too_large'] as ErrorId[]) : []), ...r.errors, ...SIGNATURE_ERRORS];
    const responses: Record<string, unknown> = {
      [r.answer.status]: {
        description: r.summary,
        headers: { 'X-YST-Signature': { $ref: '#/components/headers/AnswerSignature' } },
        content: { 'application/json': { schema: outputSchema(r.answer.schema), example: r.answer.example } },
      },
      ...errorResponses(errors),
    };
    (paths[documentPath(r.path)] ??= {})[r.method.toLowerCase()] = {
      operationId: r.operationId,
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      ...(params.length ? { parameters: params } : {}),
      ...(r.request
        ? {
            requestBody: {
              required: true,
              content: {
                [r.request.contentType ?? 'application/json']:
                  r.request.contentType === 'application/octet-stream'
                    ? { schema: { type: 'string', contentMediaType: 'image/*' } }
                    : { schema: inputSchema(r.request.schema), example: r.request.example },
              },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: '云商通开户平台 开放接口',
      version: 'v1',
      description:
        '服务器到服务器调用，SM2 签名：待签串 = METHOD\\nPATH?QUERY\\nTIMESTAMP\\nNONCE\\nSM3(请求体)；应答（含错误）由平台私钥签名：TIMESTAMP\\nNONCE\\nSM3(应答体)。金额为两位小数的元（字符串），时间为 UTC 的 ISO 8601。错误：{"error": {"id", "message"}}。',
    },
    servers: [{ url: serverUrl }],
    // Customer mode (the application's key), or service-provider mode (the provider's key, X-YST-Provider).
    security: [
      { AppNo: [], Timestamp: [], Nonce: [], Signature: [] },
      { AppNo: [], Provider: [], Timestamp: [], Nonce: [], Signature: [] },
    ],
    paths,
    webhooks: {
      'order.result': {
        post: {
          summary: '订单结果通知（POST 至 notifyUrl，平台签名同应答）',
          requestBody: {
            content: {
              'application/json': { schema: outputSchema(orderResultCallback), example: { type: 'order.result', appNo: '1001001', order: orderExample } },
            },
          },
          responses: { '200': { description: '任何 2xx 表示已收到；否则 15 秒后重试，间隔加倍至 1 小时，持续 24 小时' } },
        },
      },
    },
    components: {
      securitySchemes: {
        AppNo: { type: 'apiKey', in: 'header', name: 'X-YST-AppNo', description: '应用编号' },
        Provider: { type: 'apiKey', in: 'header', name: 'X-YST-Provider', description: '服务商模式：服务商编号（服务商密钥页），以服务商私钥签名' },
        Timestamp: { type: 'apiKey', in: 'header', name: 'X-YST-Timestamp', description: '毫秒时间戳，与平台时间相差不超过 5 分钟' },
        Nonce: { type: 'apiKey', in: 'header', name: 'X-YST-Nonce', description: '16–64 位 [A-Za-z0-9_-]，10 分钟内不得重复' },
        Signature: {
          type: 'apiKey',
          in: 'header',
          name: 'X-YST-Signature',
          description: 'SM2 签名（SM3，默认用户 ID 1234567812345678），r‖s 共 128 位十六进制',
        },
      },
      headers: {
        AnswerSignature: { description: '平台签名：TIMESTAMP\\nNONCE\\nSM3(应答体)，以通联公钥验签', schema: { type: 'string' } },
      },
      schemas: { Error: outputSchema(errorAnswer) },
    },
  };
}

/** A page to read the document without any tool. */
export function openApiDocsPage(): string {
  return renderDocsPage(openApiDocument(), '/openapi/v1/openapi.json');
}
