import { Router } from 'express';
import type { AppDeps } from '../context';
import { actorOf, requireRole } from '../context';
import type { RouterDoc } from '../route-docs';
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

const rule = { params: ruleIdSchema } as const;
const ruleExample = {
  name: '平台抽佣 5%',
  receiverMemberId: '5f0c7b7f-3a10-4c1e-9a51-2f0c7b7f3a10',
  commission: { method: 'RATIO', value: 500 },
  parties: [{ memberId: '6a1d8c80-4b21-4d2f-8b62-3a1d8c804b21', method: 'RATIO', value: 9500 }],
};
/** 分账抽佣规则管理 and 分账订单明细查询 in the portal's API document. */
export const splitRuleDoc: RouterDoc = {
  tag: '分账管理',
  admits: ['APPLICATION'],
  routes: {
    'GET /rules': { summary: '分账抽佣规则查询', query: listSplitRulesSchema },
    'POST /rules': {
      summary: '新增分账规则（比例以万分之一、金额以分计；各方签约后生效）',
      body: splitRuleSchema,
      status: 201,
      example: ruleExample,
    },
    'GET /rules/:id': { ...rule, summary: '分账规则详情与签约进度' },
    'GET /rules/:id/history': { ...rule, summary: '分账规则的变更记录' },
    'PUT /rules/:id': { ...rule, summary: '修改分账规则（重新签约）', body: editSplitRuleSchema, example: { ...ruleExample, name: '平台抽佣 6%' } },
    'POST /rules/:id/resend': { ...rule, summary: '重发签约短信' },
    'POST /rules/:id/status': { ...rule, summary: '启用或停用（须填原因）', body: statusChangeSchema, example: { enabled: false, reason: '合作结束' } },
    'GET /orders': { summary: '分账订单明细查询', query: listSplitOrdersSchema },
    'GET /orders/:id': { summary: '分账明细详情', params: splitDetailIdSchema },
  },
};
