import { Router } from 'express';
import type { AppDeps } from '../context';
import { actorOf, requireRole } from '../context';
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
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="agreement.pdf"; filename*=UTF-8''${encodeURIComponent(filename)}`);
    document.pipe(res);
  });
  return router;
}
