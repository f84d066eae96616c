import { Router } from 'express';
import type { AppDeps } from '../context';
import { actorOf, requirePostSettlement, requireRole } from '../context';
import { batchIdSchema, listMerchantsSchema, listSigningLinksSchema, sendBatchSchema } from './schemas';
import { getSigningBatch, listMerchants, listSigningLinks, sendSigningBatch } from './service';

/** 收单商户管理 and 会员签约链接查询: post-settlement applications only. */
export function acquiringRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requireRole('APPLICATION'), requirePostSettlement(deps));

  router.get('/merchants', async (req, res) => {
    res.json(await listMerchants(deps, actorOf(req), listMerchantsSchema.parse(req.query)));
  });
  router.post('/signing-batches', async (req, res) => {
    res.status(202).json(await sendSigningBatch(deps, actorOf(req), sendBatchSchema.parse(req.body ?? {})));
  });
  router.get('/signing-batches/:id', async (req, res) => {
    res.json(await getSigningBatch(deps, actorOf(req), batchIdSchema.parse(req.params).id));
  });
  router.get('/signing-links', async (req, res) => {
    res.json(await listSigningLinks(deps, actorOf(req), listSigningLinksSchema.parse(req.query)));
  });
  return router;
}
