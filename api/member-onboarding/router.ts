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

  /** A member action: validate the body, then run it as an update of the member's workflow. */
  const memberAction = <T>(path: string, schema: ZodType<T>, run: (workflow: WorkflowHandle, data: T) => Promise<unknown>) =>
    router.post(`/:token/${path}`, async (req, res) => {
      const { token, device } = ctx(req, res);
      const data = schema.parse(req.body ?? {});
      res.json(await act(deps, token, device, (workflow) => run(workflow, data)));
    });

  memberAction('real-name', realNameSchema, (wf, data) => wf.executeUpdate(submitRealNameUpdate, { args: [data] }));
  memberAction('company', companySchema, (wf, data) => wf.executeUpdate(submitCompanyUpdate, { args: [data] }));
  memberAction('legal-representative', legalRepresentativeSchema, (wf, data) => wf.executeUpdate(submitLegalRepresentativeUpdate, { args: [data] }));
  memberAction('licences', licencesSchema, (wf, data) => wf.executeUpdate(submitLicencesUpdate, { args: [data] }));
  memberAction('phone-code', phoneChoiceSchema, (wf, choice) => wf.executeUpdate(requestPhoneCodeUpdate, { args: [choice] }));
  memberAction('phone-binding', codeSchema, (wf, { code }) => wf.executeUpdate(bindPhoneUpdate, { args: [{ code }] }));
  memberAction('signing-code', z.object({}), (wf) => wf.executeUpdate(requestSigningCodeUpdate, { args: [] }));
  memberAction('confirmation', z.object({}), (wf) => wf.executeUpdate(confirmUpdate, { args: [] }));
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
