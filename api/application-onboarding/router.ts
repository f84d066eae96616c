import { Router } from 'express';
import multer from 'multer';
import type { AppDeps } from '../context';
import { actorOf, requireRole } from '../context';
import { sendAsFile } from '../downloads';
import { receiveFiles } from '../uploads';
import { customerSchema, fileParamsSchema, listOnboardingsSchema, materialParamsSchema, onboardingIdSchema, scenarioSchema } from './schemas';
import {
  createOnboarding,
  deleteMaterialFile,
  getOnboarding,
  listOnboardings,
  listServiceProviders,
  materialFile,
  previewChecklist,
  submitGoLive,
  submitOnboarding,
  updateOnboarding,
  uploadMaterial,
} from './service';

/** Material files: photos, scans, forms and site-visit videos up to 20 MB, one per request (names as browsers send them, UTF-8). */
const materialUpload = multer({ storage: multer.memoryStorage(), defParamCharset: 'utf8', limits: { fileSize: 20 * 1024 * 1024, files: 1, fields: 5 } });

/** 应用开通 (F7): branch users (the reviewer role) record customers and their material; reviewers read the files. */
export function applicationOnboardingRouter(deps: AppDeps): Router {
  const router = Router();
  const id = (params: unknown) => onboardingIdSchema.parse(params).id;
  router.use(requireRole('REVIEWER'));

  router.get('/service-providers', async (_req, res) => {
    res.json(await listServiceProviders(deps));
  });
  router.post('/checklist', async (req, res) => {
    res.json(previewChecklist(scenarioSchema.parse(req.body ?? {})));
  });
  router.get('/', async (req, res) => {
    res.json(await listOnboardings(deps, listOnboardingsSchema.parse(req.query)));
  });
  router.post('/', async (req, res) => {
    res.status(201).json(await createOnboarding(deps, actorOf(req), customerSchema.parse(req.body ?? {})));
  });
  router.get('/:id', async (req, res) => {
    res.json(await getOnboarding(deps, id(req.params)));
  });
  router.put('/:id', async (req, res) => {
    res.json(await updateOnboarding(deps, actorOf(req), id(req.params), customerSchema.parse(req.body ?? {})));
  });
  router.post('/:id/materials/:code', async (req, res) => {
    const params = materialParamsSchema.parse(req.params);
    await receiveFiles(materialUpload.single('file'), req, res, '一次上传一个文件，字段名为 file', 'app_onboarding.file_too_large');
    res.status(201).json(await uploadMaterial(deps, actorOf(req), params.id, params.code, req.file));
  });
  router.get('/:id/files/:fileId', async (req, res) => {
    const params = fileParamsSchema.parse(req.params);
    const file = await materialFile(deps, params.id, params.fileId);
    sendAsFile(res, file.fileName, file.mimeType);
    res.send(Buffer.from(file.data));
  });
  router.delete('/:id/files/:fileId', async (req, res) => {
    const params = fileParamsSchema.parse(req.params);
    res.json(await deleteMaterialFile(deps, actorOf(req), params.id, params.fileId));
  });
  router.post('/:id/submission', async (req, res) => {
    res.json(await submitOnboarding(deps, actorOf(req), id(req.params)));
  });
  router.post('/:id/go-live-submission', async (req, res) => {
    res.json(await submitGoLive(deps, actorOf(req), id(req.params)));
  });
  return router;
}
