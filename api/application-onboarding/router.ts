import { Router } from 'express';
import multer from 'multer';
import type { AppDeps } from '../context';
import type { RouterDoc } from '../route-docs';
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

/** 应用开通 (F7): branch users record customers and their material; branch reviewers too, and read the files. */
export function applicationOnboardingRouter(deps: AppDeps): Router {
  const router = Router();
  const id = (params: unknown) => onboardingIdSchema.parse(params).id;
  router.use(requireRole('BRANCH_USER', 'REVIEWER'));

  router.get('/service-providers', async (_req, res) => {
    res.json(await listServiceProviders(deps));
  });
  router.post('/checklist', async (req, res) => {
    res.json(previewChecklist(scenarioSchema.parse(req.body ?? {})));
  });
  router.get('/', async (req, res) => {
    res.json(await listOnboardings(deps, actorOf(req), listOnboardingsSchema.parse(req.query)));
  });
  router.post('/', async (req, res) => {
    res.status(201).json(await createOnboarding(deps, actorOf(req), customerSchema.parse(req.body ?? {})));
  });
  router.get('/:id', async (req, res) => {
    res.json(await getOnboarding(deps, id(req.params), actorOf(req)));
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
    const file = await materialFile(deps, params.id, params.fileId, actorOf(req));
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

const customerExample = {
  customerName: '示例科技有限公司',
  agreementType: 'STANDARD',
  fundMode: 'POST_SETTLEMENT',
  serviceProviderId: '5f0c7b7f-3a10-4c1e-9a51-2f0c7b7f3a10',
  legalRepName: '王五',
  legalRepPhone: '13800138000',
  contactEmail: 'finance@example.com',
  scenario: { merchantType: 'ENTERPRISE', online: true },
};
/** 应用开通 (F7) in the portal's API document: branch users record customers and their material. */
export const applicationOnboardingDoc: RouterDoc = {
  tag: '应用开通',
  admits: ['BRANCH_USER', 'REVIEWER'],
  routes: {
    'GET /service-providers': { summary: '可选服务商' },
    'POST /checklist': {
      summary: '按业务场景预览所需材料清单',
      body: scenarioSchema,
      example: { merchantType: 'ENTERPRISE', online: true, paymentProducts: true, nonStandard: ['FUND_POOLING'] },
    },
    'GET /': { summary: '开通申请查询', query: listOnboardingsSchema },
    'POST /': {
      summary: '录入客户（开通申请草稿）',
      body: customerSchema,
      status: 201,
      example: customerExample,
    },
    'GET /:id': { summary: '开通申请详情（材料清单与已传文件）', params: onboardingIdSchema },
    'PUT /:id': { summary: '修改客户信息', params: onboardingIdSchema, body: customerSchema, example: customerExample },
    'POST /:id/materials/:code': { summary: '上传一项材料（≤ 20MB）', params: materialParamsSchema, files: ['file'], status: 201 },
    'GET /:id/files/:fileId': { summary: '下载材料文件', params: fileParamsSchema, answer: 'file' },
    'DELETE /:id/files/:fileId': { summary: '删除材料文件', params: fileParamsSchema },
    'POST /:id/submission': { summary: '提交开通审核', params: onboardingIdSchema },
    'POST /:id/go-live-submission': { summary: '提交上线投产', params: onboardingIdSchema },
  },
};
