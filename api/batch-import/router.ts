import { Router } from 'express';
import type { AppDeps } from '../context';
import { actorOf, requireRole } from '../context';
import { CONTENT_TYPES, sendAsFile } from '../downloads';
import { memberFileUpload, receiveFiles } from '../uploads';
import { listTasksSchema, taskIdSchema, templateSchema, uploadSchema, windowRequestSchema } from './schemas';
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
    res.json(await submitImport(deps, actorOf(req), taskIdSchema.parse(req.params).id));
  });
  router.get('/:id/result', async (req, res) => {
    await writeResultFile(deps, actorOf(req), taskIdSchema.parse(req.params).id, res, (name, format, encoding) =>
      sendAsFile(res, name, format === 'XLSX' ? CONTENT_TYPES.XLSX : encoding === 'GBK' ? CONTENT_TYPES.CSV_GBK : CONTENT_TYPES.CSV_UTF8),
    );
  });
  return router;
}
