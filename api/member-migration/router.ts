import { Router } from 'express';
import type { AppDeps } from '../context';
import type { RouterDoc } from '../route-docs';
import { actorOf, requireRole } from '../context';
import { memberFileUpload, receiveFiles } from '../uploads';
import { fileMigrationSchema, listMigrationsSchema, migrationFileSchema, migrationIdSchema, submitFileSchema } from './schemas';
import { confirmConfiguration, fileMigration, getMigration, listMigrations, submitMigrationFile, uploadMigrationFile } from './service';

/** 会员迁移: branch users file, operators configure, applications upload; every role sees its own scope. */
export function memberMigrationRouter(deps: AppDeps): Router {
  const router = Router();
  const id = (params: unknown) => migrationIdSchema.parse(params).id;
  router.use(requireRole('BRANCH_USER', 'REVIEWER', 'OPERATOR', 'APPLICATION'));

  router.get('/', async (req, res) => {
    res.json(await listMigrations(deps, actorOf(req), listMigrationsSchema.parse(req.query)));
  });
  router.post('/', requireRole('BRANCH_USER', 'REVIEWER'), async (req, res) => {
    res.status(201).json(await fileMigration(deps, actorOf(req), fileMigrationSchema.parse(req.body ?? {})));
  });
  router.get('/:id', async (req, res) => {
    res.json(await getMigration(deps, actorOf(req), id(req.params)));
  });
  router.post('/:id/configuration', requireRole('OPERATOR'), async (req, res) => {
    res.json(await confirmConfiguration(deps, actorOf(req), id(req.params)));
  });
  router.post('/:id/files', requireRole('APPLICATION'), async (req, res) => {
    await receiveFiles(memberFileUpload.single('file'), req, res, '一次只能上传一个文件，字段名为 file', 'import.too_large');
    const { kind } = migrationFileSchema.parse(req.body ?? {});
    res.status(201).json(await uploadMigrationFile(deps, actorOf(req), id(req.params), kind, req.file));
  });
  router.post('/:id/file-submission', requireRole('APPLICATION'), async (req, res) => {
    res.json(await submitMigrationFile(deps, actorOf(req), id(req.params), submitFileSchema.parse(req.body ?? {}).taskId));
  });
  return router;
}

/** 会员迁移 in the portal's API document: branch users file, operators configure, applications upload. */
export const memberMigrationDoc: RouterDoc = {
  tag: '会员迁移',
  admits: ['BRANCH_USER', 'REVIEWER', 'OPERATOR', 'APPLICATION'],
  routes: {
    'GET /': { summary: '迁移申请查询（各角色见其范围）', query: listMigrationsSchema },
    'POST /': {
      summary: '发起迁移申请（分公司）',
      admits: ['BRANCH_USER', 'REVIEWER'],
      body: fileMigrationSchema,
      status: 201,
      example: { appNo: '1001001', reason: '原系统会员迁入云商通二代' },
    },
    'GET /:id': { summary: '迁移申请详情', params: migrationIdSchema },
    'POST /:id/configuration': { summary: '确认迁移配置（总部运营）', admits: ['OPERATOR'], params: migrationIdSchema },
    'POST /:id/files': {
      summary: '上传迁移文件（应用）',
      admits: ['APPLICATION'],
      params: migrationIdSchema,
      body: migrationFileSchema,
      files: ['file'],
      status: 201,
      example: { kind: 'ENTERPRISE' },
    },
    'POST /:id/file-submission': {
      summary: '提交迁移文件（送审）',
      admits: ['APPLICATION'],
      params: migrationIdSchema,
      body: submitFileSchema,
      example: { taskId: '5f0c7b7f-3a10-4c1e-9a51-2f0c7b7f3a10', consentAttested: true },
    },
  },
};
