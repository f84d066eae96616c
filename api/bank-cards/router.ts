import { Router } from 'express';
import type { AppDeps } from '../context';
import { actorOf, requireRole } from '../context';
import type { RouterDoc } from '../route-docs';
import { listBankCardsSchema } from './schemas';
import { listBankCards } from './service';

/** 银行卡查询: the platform's view of its members' bound cards. */
export function bankCardsRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requireRole('APPLICATION'));
  router.get('/', async (req, res) => {
    res.json(await listBankCards(deps, actorOf(req), listBankCardsSchema.parse(req.query)));
  });
  return router;
}

export const bankCardsDoc: RouterDoc = {
  tag: '会员管理',
  admits: ['APPLICATION'],
  routes: {
    'GET /': { summary: '银行卡查询（对公户、对私户，已签约/未签约）', query: listBankCardsSchema },
  },
};
