import { Router } from 'express';
import type { AppDeps } from '../context';
import { actorOf, requireRole } from '../context';
import {
  editSplitRuleSchema,
  listSplitOrdersSchema,
  listSplitRulesSchema,
  ruleIdSchema,
  splitDetailIdSchema,
  splitRuleSchema,
  statusChangeSchema,
} from './schemas';
import {
  changeSplitRuleStatus,
  createSplitRule,
  editSplitRule,
  getSplitOrder,
  getSplitRule,
  listSplitOrders,
  listSplitRules,
  resendSplitRule,
  splitRuleHistory,
} from './service';

/** 分账抽佣规则管理 and 分账订单明细查询. */
export function splitRuleRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requireRole('APPLICATION'));
  const id = (params: unknown) => ruleIdSchema.parse(params).id;

  router.get('/rules', async (req, res) => {
    res.json(await listSplitRules(deps, actorOf(req), listSplitRulesSchema.parse(req.query)));
  });
  router.post('/rules', async (req, res) => {
    res.status(201).json(await createSplitRule(deps, actorOf(req), splitRuleSchema.parse(req.body ?? {})));
  });
  router.get('/rules/:id', async (req, res) => {
    res.json(await getSplitRule(deps, actorOf(req), id(req.params)));
  });
  router.get('/rules/:id/history', async (req, res) => {
    res.json(await splitRuleHistory(deps, actorOf(req), id(req.params)));
  });
  router.put('/rules/:id', async (req, res) => {
    res.json(await editSplitRule(deps, actorOf(req), id(req.params), editSplitRuleSchema.parse(req.body ?? {})));
  });
  router.post('/rules/:id/resend', async (req, res) => {
    res.json(await resendSplitRule(deps, actorOf(req), id(req.params)));
  });
  router.post('/rules/:id/status', async (req, res) => {
    res.json(await changeSplitRuleStatus(deps, actorOf(req), id(req.params), statusChangeSchema.parse(req.body ?? {})));
  });
  router.get('/orders', async (req, res) => {
    res.json(await listSplitOrders(deps, actorOf(req), listSplitOrdersSchema.parse(req.query)));
  });
  router.get('/orders/:id', async (req, res) => {
    res.json(await getSplitOrder(deps, actorOf(req), splitDetailIdSchema.parse(req.params).id));
  });
  return router;
}
