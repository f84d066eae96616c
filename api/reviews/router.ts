import { Router } from 'express';
import type { AppDeps } from '../context';
import { actorOf, requireRole } from '../context';
import type { RouterDoc } from '../route-docs';
import { decisionSchema, listReviewsSchema, reviewIdSchema } from './schemas';
import { decideReview, getReview, listReviews } from './service';

/** 审核队列 for branch reviewers. */
export function reviewsRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requireRole('REVIEWER'));
  router.get('/', async (req, res) => {
    res.json(await listReviews(deps, actorOf(req), listReviewsSchema.parse(req.query)));
  });
  router.get('/:id', async (req, res) => {
    res.json(await getReview(deps, actorOf(req), reviewIdSchema.parse(req.params).id));
  });
  router.post('/:id/decision', async (req, res) => {
    res.json(await decideReview(deps, actorOf(req), reviewIdSchema.parse(req.params).id, decisionSchema.parse(req.body ?? {})));
  });
  return router;
}

/** 审核（分公司复核）in the portal's API document. */
export const reviewsDoc: RouterDoc = {
  tag: '审核',
  admits: ['REVIEWER'],
  routes: {
    'GET /': { summary: '待审核 / 已审核事项', query: listReviewsSchema },
    'GET /:id': { summary: '审核事项详情', params: reviewIdSchema },
    'POST /:id/decision': {
      summary: '审核决定（通过或驳回；驳回须填原因；发起人不能审核自己的事项）',
      params: reviewIdSchema,
      body: decisionSchema,
      example: { approve: false, reason: '导入文件缺少证件有效期' },
    },
  },
};
