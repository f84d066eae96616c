import { Router } from 'express';
import type { AppDeps } from '../context';
import { actorOf, requireRole } from '../context';
import { memberFileUpload, receiveFiles } from '../uploads';
import { fileMigrationSchema, listMigrationsSchema, migrationFileSchema, migrationIdSchema, submitFileSchema } from './schemas';
import { confirmConfiguration, fileMigration, getMigration, listMigrations, submitMigrationFile, uploadMigrationFile } from './service';

/** 会员迁移: branch users file, operators configure, applications upload; every role sees its own scope. */
export function memberMigrationRouter(deps: AppDeps): Router {
  const router = Router();
  const id = (params: unknown) => migrationIdSchema.parse(params).id;
  router.use(requireRole('REVIEWER', 'OPERATOR', 'APPLICATION'));

  router.get('/', async (req, res) => {
    res.json(await listMigrations(deps, actorOf(req), listMigrationsSchema.parse(req.query)));
  });
  router.post('/', requireRole('REVIEWER'), async (req, res) => {
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
