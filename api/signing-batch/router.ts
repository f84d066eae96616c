import { Router } from 'express';
import type { AppDeps } from '../context';
import { actorOf } from '../context';
import { batchIdSchema, listSigningLinksSchema, sendBatchSchema } from './schemas';
import { getSigningBatch, listSigningLinks, sendSigningBatch } from './service';

/** The signing-batch flow's routes, mounted by 收单商户管理 (which checks role and settlement mode first). */
export function signingBatchRoutes(deps: AppDeps): Router {
  const router = Router();
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
