import { Router } from 'express';
import type { AppDeps } from '../context';
import { actorOf, requireRole } from '../context';
import type { RouterDoc } from '../route-docs';
import { CONTENT_TYPES, sendAsFile } from '../downloads';
import { dailySchema, enablementRequestSchema, monthlySchema } from './schemas';
import { monthlyOverview, requestEnablement, writeDailyStatement, writeMonthlyStatement } from './service';

/** 账务与对账 for the application's staff. */
export function monthlyStatementsRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requireRole('APPLICATION'));
  router.get('/daily/:day', async (req, res) => {
    const { day, format } = dailySchema.parse({ ...req.params, ...req.query });
    await writeDailyStatement(deps, actorOf(req), day, format, res, (name) =>
      sendAsFile(res, name, format === 'xlsx' ? CONTENT_TYPES.XLSX : CONTENT_TYPES.TXT),
    );
  });
  router.get('/monthly', async (req, res) => {
    res.json(await monthlyOverview(deps, actorOf(req)));
  });
  router.get('/monthly/:month', async (req, res) => {
    const { month } = monthlySchema.parse(req.params);
    await writeMonthlyStatement(deps, actorOf(req), month, res, (name) => sendAsFile(res, name, CONTENT_TYPES.XLSX));
  });
  router.post('/enablement', async (req, res) => {
    res.status(201).json(await requestEnablement(deps, actorOf(req), enablementRequestSchema.parse(req.body ?? {}).reason));
  });
  return router;
}

/** 账务与对账 in the portal's API document. */
export const monthlyStatementsDoc: RouterDoc = {
  tag: '账务与对账',
  admits: ['APPLICATION'],
  routes: {
    'GET /daily/:day': {
      summary: '日对账单下载（TXT 或 XLSX）',
      params: dailySchema.pick({ day: true }),
      query: dailySchema.pick({ format: true }),
      answer: 'file',
    },
    'GET /monthly': { summary: '月对账单：开通状态与可下载月份' },
    'GET /monthly/:month': { summary: '月对账单下载（XLSX）', params: monthlySchema, answer: 'file' },
    'POST /enablement': { summary: '申请开通月对账单', body: enablementRequestSchema, status: 201, example: { reason: '财务按月对账' } },
  },
};
