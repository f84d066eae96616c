import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { Router } from 'express';
import multer from 'multer';
import { BusinessError } from '../../domain/errors';
import {
  bindPhoneUpdate,
  requestPhoneCodeUpdate,
  requestSigningCodeUpdate,
  signAgreementUpdate,
  submitCompanyUpdate,
  submitLegalRepresentativeUpdate,
  submitLicencesUpdate,
  submitRealNameUpdate,
} from '../../workflows/member-onboarding/messages';
import type { AppDeps } from '../context';
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
const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

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

export function onboardingRouter(deps: AppDeps): Router {
  const router = Router();
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_UPLOAD_BYTES, files: 1 } });
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

  router.post('/:token/real-name', async (req, res) => {
    const { token, device } = ctx(req, res);
    const data = realNameSchema.parse(req.body);
    res.json(await act(deps, token, device, (wf) => wf.executeUpdate(submitRealNameUpdate, { args: [data] })));
  });
  router.post('/:token/company', async (req, res) => {
    const { token, device } = ctx(req, res);
    const data = companySchema.parse(req.body);
    res.json(await act(deps, token, device, (wf) => wf.executeUpdate(submitCompanyUpdate, { args: [data] })));
  });
  router.post('/:token/legal-representative', async (req, res) => {
    const { token, device } = ctx(req, res);
    const data = legalRepresentativeSchema.parse(req.body);
    res.json(await act(deps, token, device, (wf) => wf.executeUpdate(submitLegalRepresentativeUpdate, { args: [data] })));
  });
  router.post('/:token/uploads', (req, res, next) => {
    upload.single('file')(req, res, (err: unknown) => {
      if (err instanceof multer.MulterError) {
        return next(
          err.code === 'LIMIT_FILE_SIZE' ? new BusinessError('upload.too_large') : new BusinessError('upload.missing', '一次只能上传一个文件，字段名为 file'),
        );
      }
      if (err) return next(err);
      const { token, device } = ctx(req, res);
      const { kind } = uploadKindSchema.parse(req.body);
      storeUpload(deps, token, device, kind, req.file)
        .then((u) => res.status(201).json(u))
        .catch(next);
    });
  });
  router.post('/:token/licences', async (req, res) => {
    const { token, device } = ctx(req, res);
    const data = licencesSchema.parse(req.body);
    res.json(await act(deps, token, device, (wf) => wf.executeUpdate(submitLicencesUpdate, { args: [data] })));
  });

  router.post('/:token/phone-code', async (req, res) => {
    const { token, device } = ctx(req, res);
    const choice = phoneChoiceSchema.parse(req.body);
    res.json(await act(deps, token, device, (wf) => wf.executeUpdate(requestPhoneCodeUpdate, { args: [choice] })));
  });
  router.post('/:token/phone-binding', async (req, res) => {
    const { token, device } = ctx(req, res);
    const { code } = codeSchema.parse(req.body);
    res.json(await act(deps, token, device, (wf) => wf.executeUpdate(bindPhoneUpdate, { args: [{ code }] })));
  });
  router.post('/:token/signing-code', async (req, res) => {
    const { token, device } = ctx(req, res);
    res.json(await act(deps, token, device, (wf) => wf.executeUpdate(requestSigningCodeUpdate, { args: [] })));
  });
  router.post('/:token/agreement-signature', async (req, res) => {
    const { token, device } = ctx(req, res);
    const { code } = codeSchema.parse(req.body);
    res.json(await act(deps, token, device, (wf) => wf.executeUpdate(signAgreementUpdate, { args: [{ code }] })));
  });

  return router;
}
