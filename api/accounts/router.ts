import { Router } from 'express';
import type { AppDeps } from '../context';
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
