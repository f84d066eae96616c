import { Router } from 'express';
import type { AppDeps } from '../context';
import { actorOf, requireRole } from '../context';
import { decisionSchema, listReviewsSchema, reviewIdSchema } from './schemas';
import { decideReview, getReview, listReviews } from './service';

/** 审核队列 for branch reviewers. */
export function reviewsRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requireRole('REVIEWER'));
  router.get('/', async (req, res) => {
    res.json(await listReviews(deps, listReviewsSchema.parse(req.query)));
  });
  router.get('/:id', async (req, res) => {
    res.json(await getReview(deps, actorOf(req), reviewIdSchema.parse(req.params).id));
  });
  router.post('/:id/decision', async (req, res) => {
    res.json(await decideReview(deps, actorOf(req), reviewIdSchema.parse(req.params).id, decisionSchema.parse(req.body ?? {})));
  });
  return router;
}
