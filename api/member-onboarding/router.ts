import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { Router } from 'express';
import multer from 'multer';
import { type ZodType, z } from 'zod';
import type { WorkflowHandle } from '@temporalio/client';
import {
  bindPhoneUpdate,
  confirmUpdate,
  requestPhoneCodeUpdate,
  requestSigningCodeUpdate,
  signAgreementUpdate,
  submitCompanyUpdate,
  submitLegalRepresentativeUpdate,
  submitLicencesUpdate,
  submitRealNameUpdate,
} from '../../workflows/member-onboarding/messages';
import type { AppDeps } from '../context';
import { PERSONAL_INFORMATION_CONSENT } from '../../domain/personal-information';
import type { RouterDoc } from '../route-docs';
import { MAX_PHOTO_BYTES, receiveFiles } from '../uploads';
import {
  codeSchema,
  companySchema,
  legalRepresentativeSchema,
  licencesSchema,
  phoneChoiceSchema,
  realNameSchema,
  tokenParamsSchema,
  uploadKindSchema,
  withConsentSchema,
} from './schemas';
import { act, sendDeviceCode, storeUpload, verifyDevice, viewOnboarding } from './service';

const DEVICE_COOKIE = 'yst_device';

/** The member's device: a random id in an http-only cookie, known to the server only as a hash. */
function deviceHash(deps: AppDeps, req: Request, res: Response): string {
  let id = parseCookie(req.headers.cookie, DEVICE_COOKIE);
  if (!id || !/^[A-Za-z0-9_-]{32}$/.test(id)) {
    id = randomBytes(24).toString('base64url');
    res.cookie(DEVICE_COOKIE, id, {
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.config.PUBLIC_BASE_URL.startsWith('https:'),
      maxAge: 30 * 24 * 3600 * 1000,
    });
  }
  return deps.services.crypto.digest('device', id);
}

function parseCookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

export function memberOnboardingRouter(deps: AppDeps): Router {
  const router = Router();
  const upload = multer({ storage: multer.memoryStorage(), defParamCharset: 'utf8', limits: { fileSize: MAX_PHOTO_BYTES, files: 1 } });
  const ctx = (req: Request, res: Response) => ({
    token: tokenParamsSchema.parse(req.params).token,
    device: deviceHash(deps, req, res),
  });

  router.get('/:token', async (req, res) => {
    const { token, device } = ctx(req, res);
    res.json(await viewOnboarding(deps, token, device));
  });

  router.post('/:token/device-code', async (req, res) => {
    const { token, device } = ctx(req, res);
    res.json(await sendDeviceCode(deps, token, device));
  });
  router.post('/:token/device-verification', async (req, res) => {
    const { token, device } = ctx(req, res);
    res.json(await verifyDevice(deps, token, device, codeSchema.parse(req.body).code));
  });

  /**
   * A member action: validate the body, then run it as an update of the member's workflow. A step
   * that collects sensitive personal information takes the member's consent with it (PIPL), recorded
   * with its evidence before the step runs; the consent never enters the workflow.
   */
  const memberAction = <T>(
    path: string,
    schema: ZodType<T>,
    run: (workflow: WorkflowHandle, data: T) => Promise<unknown>,
    consent?: 'MEMBER_PAGE' | 'MEMBER_CONFIRMATION',
  ) =>
    router.post(`/:token/${path}`, async (req, res) => {
      const { token, device } = ctx(req, res);
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (consent) withConsentSchema.parse(body);
      const { consent: _consent, ...rest } = body;
      const data = schema.parse(rest);
      const client = { ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null };
      res.json(await act(deps, token, device, (workflow) => run(workflow, data), consent ? { source: consent, client } : undefined));
    });

  memberAction('real-name', realNameSchema, (wf, data) => wf.executeUpdate(submitRealNameUpdate, { args: [data] }), 'MEMBER_PAGE');
  memberAction('company', companySchema, (wf, data) => wf.executeUpdate(submitCompanyUpdate, { args: [data] }));
  memberAction(
    'legal-representative',
    legalRepresentativeSchema,
    (wf, data) => wf.executeUpdate(submitLegalRepresentativeUpdate, { args: [data] }),
    'MEMBER_PAGE',
  );
  memberAction('licences', licencesSchema, (wf, data) => wf.executeUpdate(submitLicencesUpdate, { args: [data] }));
  memberAction('phone-code', phoneChoiceSchema, (wf, choice) => wf.executeUpdate(requestPhoneCodeUpdate, { args: [choice] }));
  memberAction('phone-binding', codeSchema, (wf, { code }) => wf.executeUpdate(bindPhoneUpdate, { args: [{ code }] }));
  memberAction('signing-code', z.object({}), (wf) => wf.executeUpdate(requestSigningCodeUpdate, { args: [] }));
  memberAction('confirmation', z.object({}), (wf) => wf.executeUpdate(confirmUpdate, { args: [] }), 'MEMBER_CONFIRMATION');
  router.post('/:token/agreement-signature', async (req, res) => {
    const { token, device } = ctx(req, res);
    const { code } = codeSchema.parse(req.body ?? {});
    const client = { ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null };
    res.json(await act(deps, token, device, (wf) => wf.executeUpdate(signAgreementUpdate, { args: [{ code, client }] })));
  });

  router.post('/:token/uploads', async (req, res) => {
    await receiveFiles(upload.single('file'), req, res, '一次只能上传一个文件，字段名为 file');
    const { token, device } = ctx(req, res);
    const { kind } = uploadKindSchema.parse(req.body);
    res.status(201).json(await storeUpload(deps, token, device, kind, req.file));
  });

  return router;
}

const token = { admits: 'PUBLIC', params: tokenParamsSchema } as const;
/** The consent as the onboarding page sends it (the notice's current version, ticked). */
const CONSENT_EXAMPLE = { version: PERSONAL_INFORMATION_CONSENT.version, sensitive: true };
/** 会员开户 (the member's link) in the portal's API document: the link's token is the credential, the device is remembered by cookie. */
export const memberOnboardingDoc: RouterDoc = {
  tag: '会员开户（链接）',
  admits: 'PUBLIC',
  routes: {
    'GET /:token': { ...token, summary: '开户页：当前步骤与已填信息（新设备须先验证）' },
    'POST /:token/device-code': { ...token, summary: '新设备验证：发送短信验证码' },
    'POST /:token/device-verification': { ...token, summary: '新设备验证：校验验证码', body: codeSchema, example: { code: '123456' } },
    'POST /:token/real-name': {
      ...token,
      summary: '个人会员：实名信息（四要素验证；附敏感个人信息处理授权）',
      body: realNameSchema.extend(withConsentSchema.shape),
      example: { name: '张三', idNumber: '11010519491231002X', cardNumber: '6217001234567890122', phone: '13800138000', consent: CONSENT_EXAMPLE },
    },
    'POST /:token/company': {
      ...token,
      summary: '企业会员：企业信息',
      body: companySchema,
      example: { name: '示例科技有限公司', creditCode: '91350100M000100Y43', address: '福州市鼓楼区示例路 1 号', businessScope: '软件开发；信息技术服务' },
    },
    'POST /:token/legal-representative': {
      ...token,
      summary: '企业会员：法定代表人（附敏感个人信息处理授权）',
      body: legalRepresentativeSchema.extend(withConsentSchema.shape),
      example: { name: '王五', idNumber: '11010519491231002X', phone: '13800138000', consent: CONSENT_EXAMPLE },
    },
    'POST /:token/uploads': {
      ...token,
      summary: '上传证照照片（≤ 5MB）',
      body: uploadKindSchema,
      files: ['file'],
      status: 201,
      example: { kind: 'BUSINESS_LICENCE' },
    },
    'POST /:token/licences': {
      ...token,
      summary: '企业会员：提交营业执照与法人身份证照片',
      body: licencesSchema,
      example: {
        businessLicenceUploadId: '5f0c7b7f-3a10-4c1e-9a51-2f0c7b7f3a10',
        idFrontUploadId: '6a1d8c80-4b21-4d2f-8b62-3a1d8c804b21',
        idBackUploadId: '7b2e9d91-5c32-4e3a-9c73-4b2e9d915c32',
      },
    },
    'POST /:token/phone-code': { ...token, summary: '绑定手机：发送验证码（预留手机号或授权手机号）', body: phoneChoiceSchema, example: { source: 'ON_FILE' } },
    'POST /:token/phone-binding': { ...token, summary: '绑定手机：校验验证码', body: codeSchema, example: { code: '123456' } },
    'POST /:token/signing-code': { ...token, summary: '签约：发送协议签署验证码' },
    'POST /:token/agreement-signature': { ...token, summary: '签约：以验证码签署协议（记录签约证据）', body: codeSchema, example: { code: '123456' } },
    'POST /:token/confirmation': {
      ...token,
      summary: '确认开户信息，提交开户（附敏感个人信息处理授权）',
      body: withConsentSchema,
      example: { consent: CONSENT_EXAMPLE },
    },
  },
};
