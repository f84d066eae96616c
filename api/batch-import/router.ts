import { Router } from 'express';
import type { AppDeps } from '../context';
import type { RouterDoc } from '../route-docs';
import { actorOf, requireRole } from '../context';
import { CONTENT_TYPES, sendAsFile } from '../downloads';
import { memberFileUpload, receiveFiles } from '../uploads';
import { consentAttestationSchema, listTasksSchema, taskIdSchema, templateSchema, uploadSchema, windowRequestSchema } from './schemas';
import {
  getImport,
  importWindowOf,
  listImports,
  requestImportWindow,
  submitImport,
  templateName,
  uploadImport,
  writeResultFile,
  writeTemplate,
} from './service';

/** 会员批导 for the application's staff. */
export function batchImportRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requireRole('APPLICATION'));

  router.get('/window', async (req, res) => {
    res.json(await importWindowOf(deps, actorOf(req)));
  });
  router.post('/window/requests', async (req, res) => {
    res.status(201).json(await requestImportWindow(deps, actorOf(req), windowRequestSchema.parse(req.body ?? {}).reason));
  });
  router.get('/templates/:kind', async (req, res) => {
    const { kind, format } = templateSchema.parse({ ...req.params, ...req.query });
    sendAsFile(res, templateName(kind, format), format === 'xlsx' ? CONTENT_TYPES.XLSX : CONTENT_TYPES.CSV_UTF8);
    await writeTemplate(res, kind, format);
  });
  router.get('/', async (req, res) => {
    res.json(await listImports(deps, actorOf(req), listTasksSchema.parse(req.query)));
  });
  router.post('/', async (req, res) => {
    await receiveFiles(memberFileUpload.single('file'), req, res, '一次只能上传一个文件，字段名为 file', 'import.too_large');
    const { kind } = uploadSchema.parse(req.body ?? {});
    res.status(201).json(await uploadImport(deps, actorOf(req), kind, req.file));
  });
  router.get('/:id', async (req, res) => {
    res.json(await getImport(deps, actorOf(req), taskIdSchema.parse(req.params).id));
  });
  router.post('/:id/submission', async (req, res) => {
    consentAttestationSchema.parse(req.body ?? {});
    res.json(await submitImport(deps, actorOf(req), taskIdSchema.parse(req.params).id));
  });
  router.get('/:id/result', async (req, res) => {
    await writeResultFile(deps, actorOf(req), taskIdSchema.parse(req.params).id, res, (name, format, encoding) =>
      sendAsFile(res, name, format === 'XLSX' ? CONTENT_TYPES.XLSX : encoding === 'GBK' ? CONTENT_TYPES.CSV_GBK : CONTENT_TYPES.CSV_UTF8),
    );
  });
  return router;
}

/** 会员批量导入 in the portal's API document. */
export const batchImportDoc: RouterDoc = {
  tag: '会员批量导入',
  admits: ['APPLICATION'],
  routes: {
    'GET /window': { summary: '批导入口：当前窗口与申请' },
    'POST /window/requests': {
      summary: '申请开放批导入口（分公司审核）',
      body: windowRequestSchema,
      status: 201,
      example: { reason: '存量会员迁入，约 3,000 户' },
    },
    'GET /templates/:kind': {
      summary: '下载导入模板（CSV 或 XLSX）',
      params: templateSchema.pick({ kind: true }),
      query: templateSchema.pick({ format: true }),
      answer: 'file',
    },
    'GET /': { summary: '导入任务查询', query: listTasksSchema },
    'POST /': { summary: '上传导入文件（逐行校验，提交前不写入）', body: uploadSchema, files: ['file'], status: 201, example: { kind: 'INDIVIDUAL' } },
    'GET /:id': { summary: '导入任务详情与逐行校验结果', params: taskIdSchema },
    'POST /:id/submission': {
      summary: '提交导入（送审；平台确认已取得会员的个人信息处理授权）',
      params: taskIdSchema,
      body: consentAttestationSchema,
      example: { consentAttested: true },
    },
    'GET /:id/result': { summary: '下载结果文件（与上传格式、编码相同）', params: taskIdSchema, answer: 'file' },
  },
};
