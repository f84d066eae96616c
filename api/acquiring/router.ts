import { Router } from 'express';
import type { AppDeps } from '../context';
import type { RouterDoc } from '../route-docs';
import { actorOf, requirePostSettlement, requireRole } from '../context';
import { signingBatchDoc, signingBatchRoutes } from '../signing-batch/router';
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

/** 收单商户管理 in the portal's API document (with the signing-batch flow's routes it mounts). */
export const acquiringDoc: RouterDoc = {
  tag: '收单商户管理',
  admits: ['APPLICATION'],
  routes: {
    'GET /merchants': { summary: '收单商户查询（后结算应用）', query: listMerchantsSchema },
    ...signingBatchDoc,
  },
};
