import { Router } from 'express';
import type { AppDeps } from '../context';
import { actorOf, requireRole } from '../context';
import type { RouterDoc } from '../route-docs';
import { decisionSchema, listReviewsSchema, reviewIdSchema } from './schemas';
import { decideReview, getReview, listReviews } from './service';
import { sendListExport } from '../list-exports';
import { shanghaiDateTime } from '../../domain/ledger';

/** 审核队列 for branch reviewers. */
export function reviewsRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requireRole('REVIEWER'));
  router.get('/', async (req, res) => {
    res.json(await listReviews(deps, actorOf(req), listReviewsSchema.parse(req.query)));
  });
  // 审核记录导出: the decided items (or the queue) as the list filters them, within the reviewer's branch.
  router.get('/export', async (req, res) => {
    const filters = listReviewsSchema.parse(req.query);
    await sendListExport(deps, actorOf(req), res, {
      what: 'reviews',
      title: filters.state === 'DECIDED' ? '审核记录' : '待审核事项',
      filters,
      list: (window) => listReviews(deps, actorOf(req), { ...filters, ...window }),
      columns: [
        ['提交时间', (r) => shanghaiDateTime(new Date(r.createdAt))],
        ['审核类型', (r) => r.kindLabel],
        ['事项', (r) => r.title],
        ['应用', (r) => (r.application ? `${r.application.name}（${r.application.appNo}）` : '')],
        ['提交人', (r) => r.applicant],
        ['审核结果', (r) => (r.status === 'APPROVED' ? '通过' : r.status === 'REJECTED' ? '驳回' : '待审核')],
        ['审核人', (r) => r.decidedBy],
        ['审核时间', (r) => (r.decidedAt ? shanghaiDateTime(new Date(r.decidedAt)) : '')],
        ['审核意见', (r) => r.reason],
      ],
    });
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
    'GET /export': { summary: '审核记录导出（XLSX，至多 10,000 行）', query: listReviewsSchema, answer: 'file' },
    'GET /:id': { summary: '审核事项详情', params: reviewIdSchema },
    'POST /:id/decision': {
      summary: '审核决定（通过或驳回；驳回须填原因；发起人不能审核自己的事项）',
      params: reviewIdSchema,
      body: decisionSchema,
      example: { approve: false, reason: '导入文件缺少证件有效期' },
    },
  },
};
