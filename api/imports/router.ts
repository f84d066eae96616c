import { Router } from 'express';
import type { AppDeps } from '../context';
import { actorOf, requireRole } from '../context';
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
export function importsRouter(deps: AppDeps): Router {
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
    attachment(res, templateName(kind, format), format === 'xlsx' ? 'XLSX' : 'CSV');
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
    await writeResultFile(deps, actorOf(req), taskIdSchema.parse(req.params).id, res, (name, format, encoding) => attachment(res, name, format, encoding));
  });
  return router;
}

export function attachment(res: import('express').Response, name: string, format: string, encoding = 'UTF-8') {
  res.setHeader(
    'Content-Type',
    format === 'XLSX' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : `text/csv; charset=${encoding === 'GBK' ? 'gbk' : 'utf-8'}`,
  );
  res.setHeader('Content-Disposition', `attachment; filename="download.${format === 'XLSX' ? 'xlsx' : 'csv'}"; filename*=UTF-8''${encodeURIComponent(name)}`);
}
