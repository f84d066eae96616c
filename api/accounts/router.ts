import { Router } from 'express';
import type { AppDeps } from '../context';
import type { RouterDoc } from '../route-docs';
import { actorOf, requireRole } from '../context';
import { CONTENT_TYPES, sendAsFile } from '../downloads';
import { accountIdSchema, listAccountsSchema, movementIdSchema, pagedRangeSchema, rangeSchema } from './schemas';
import { exportMovements, listAccounts, listDailyBalances, listMovements, movementOrder } from './service';

/** 账户管理: 会员账户查询, 账户明细查询 (with 导出), 期末余额查询. */
export function accountsRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requireRole('APPLICATION'));
  const id = (p: unknown) => accountIdSchema.parse(p).id;
  router.get('/', async (req, res) => {
    res.json(await listAccounts(deps, actorOf(req), listAccountsSchema.parse(req.query)));
  });
  router.get('/:id/movements', async (req, res) => {
    res.json(await listMovements(deps, actorOf(req), id(req.params), pagedRangeSchema.parse(req.query)));
  });
  router.get('/:id/movements/export', async (req, res) => {
    await exportMovements(deps, actorOf(req), id(req.params), rangeSchema.parse(req.query), res, (name) => sendAsFile(res, name, CONTENT_TYPES.XLSX));
  });
  router.get('/:id/movements/:movementId/order', async (req, res) => {
    const { id, movementId } = movementIdSchema.parse(req.params);
    res.json(await movementOrder(deps, actorOf(req), id, movementId));
  });
  router.get('/:id/daily-balances', async (req, res) => {
    res.json(await listDailyBalances(deps, actorOf(req), id(req.params), pagedRangeSchema.parse(req.query)));
  });
  return router;
}

/** 账户管理 in the portal's API document (api/portal-document.ts). */
export const accountsDoc: RouterDoc = {
  tag: '账户管理',
  admits: ['APPLICATION'],
  routes: {
    'GET /': { summary: '会员账户查询', query: listAccountsSchema },
    'GET /:id/movements': { summary: '账户明细查询（入账顺序，含每笔后的余额）', params: accountIdSchema, query: pagedRangeSchema },
    'GET /:id/movements/export': { summary: '账户明细导出（XLSX，至多 10,000 行）', params: accountIdSchema, query: rangeSchema, answer: 'file' },
    'GET /:id/movements/:movementId/order': { summary: '账户明细的查看详情：这笔明细的订单', params: movementIdSchema },
    'GET /:id/daily-balances': { summary: '期末余额查询', params: accountIdSchema, query: pagedRangeSchema },
  },
};
