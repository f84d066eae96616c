import { Router } from 'express';
import type { AppDeps } from '../context';
import type { RouterDoc } from '../route-docs';
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

/** The signing-batch routes in the portal's API document, under 收单商户管理 (post-settlement applications only). */
export const signingBatchDoc: RouterDoc['routes'] = {
  'POST /signing-batches': {
    summary: '批量发送签约链接（按筛选条件或所选会员）',
    body: sendBatchSchema,
    status: 202,
    example: { memberIds: ['5f0c7b7f-3a10-4c1e-9a51-2f0c7b7f3a10'] },
  },
  'GET /signing-batches/:id': { summary: '签约批次的进度', params: batchIdSchema },
  'GET /signing-links': { summary: '会员签约链接查询', query: listSigningLinksSchema },
};
