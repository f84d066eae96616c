import { Router } from 'express';
import type { AppDeps } from '../context';
import { actorOf, requireRole } from '../context';
import { applicationIdSchema } from './schemas';
import { listProviderApplications, resetApplicationPassword } from './service';

/** 服务商 → 账户管理: its applications' accounts and 重置密码. */
export function providerRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requireRole('SERVICE_PROVIDER'));
  router.get('/applications', async (req, res) => {
    res.json(await listProviderApplications(deps, actorOf(req)));
  });
  router.post('/applications/:id/password-reset', async (req, res) => {
    res.json(await resetApplicationPassword(deps, actorOf(req), applicationIdSchema.parse(req.params).id));
  });
  return router;
}
