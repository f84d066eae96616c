import { Router } from 'express';
import type { AppDeps } from '../context';
import type { RouterDoc } from '../route-docs';
import { actorOf, requireRole } from '../context';
import { CONTENT_TYPES, sendAsFile } from '../downloads';
import { agreementIdSchema, listAgreementsSchema } from './schemas';
import { agreementPdf, listAgreements } from './service';

/** 会员协议管理 and 会员支付账户协议管理. */
export function agreementsRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requireRole('APPLICATION'));

  router.get('/', async (req, res) => {
    res.json(await listAgreements(deps, actorOf(req), listAgreementsSchema.parse(req.query)));
  });
  router.get('/:id/pdf', async (req, res) => {
    const { filename, document } = await agreementPdf(deps, actorOf(req), agreementIdSchema.parse(req.params).id);
    sendAsFile(res, filename, CONTENT_TYPES.PDF);
    document.pipe(res);
  });
  return router;
}

/** 会员协议管理 in the portal's API document. */
export const agreementsDoc: RouterDoc = {
  tag: '会员协议管理',
  admits: ['APPLICATION'],
  routes: {
    'GET /': { summary: '会员协议 / 会员支付账户协议查询', query: listAgreementsSchema },
    'GET /:id/pdf': { summary: '协议下载（PDF，含签约证据）', params: agreementIdSchema, answer: 'file' },
  },
};
