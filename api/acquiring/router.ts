import { Router } from 'express';
import type { AppDeps } from '../context';
import { actorOf, requirePostSettlement, requireRole } from '../context';
import { signingBatchRoutes } from '../signing-batch/router';
import { listMerchantsSchema } from './schemas';
import { listMerchants } from './service';

/** 收单商户管理 and 会员签约链接查询: post-settlement applications only. */
export function acquiringRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requireRole('APPLICATION'), requirePostSettlement(deps));

  router.get('/merchants', async (req, res) => {
    res.json(await listMerchants(deps, actorOf(req), listMerchantsSchema.parse(req.query)));
  });
  router.use(signingBatchRoutes(deps));
  return router;
}
