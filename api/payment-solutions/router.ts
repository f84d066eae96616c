import { Router } from 'express';
import type { AppDeps } from '../context';
import type { RouterDoc } from '../route-docs';
import { actorOf, requireRole } from '../context';
import { CONTENT_TYPES, sendAsFile } from '../downloads';
import { sendListExport } from '../list-exports';
import { b2bAppKeySchema, weiqifuDailyBalancesSchema, weiqifuFileSchema } from './schemas';
import { configureB2bAppKey, getB2bStoreAssistant, getWeiqifu, weiqifuDailyBalances, weiqifuFile } from './service';

/** 支付解决方案 (portal manual §1.3). */
export function paymentSolutionsRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requireRole('APPLICATION'));
  router.get('/b2b-store', async (req, res) => {
    res.json(await getB2bStoreAssistant(deps, actorOf(req)));
  });
  router.put('/b2b-store/app-key', async (req, res) => {
    res.json(await configureB2bAppKey(deps, actorOf(req), b2bAppKeySchema.parse(req.body ?? {})));
  });
  router.get('/weiqifu', async (req, res) => {
    res.json(await getWeiqifu(deps, actorOf(req)));
  });
  router.get('/weiqifu/files', async (req, res) => {
    const file = await weiqifuFile(deps, actorOf(req), weiqifuFileSchema.parse(req.query));
    sendAsFile(res, file.name, CONTENT_TYPES.CSV_UTF8);
    res.send(file.data);
  });
  router.get('/weiqifu/daily-balances', async (req, res) => {
    res.json(await weiqifuDailyBalances(deps, actorOf(req), weiqifuDailyBalancesSchema.parse(req.query)));
  });
  router.get('/weiqifu/daily-balances/export', async (req, res) => {
    const input = weiqifuDailyBalancesSchema.parse(req.query);
    const answer = await weiqifuDailyBalances(deps, actorOf(req), input);
    await sendListExport(deps, actorOf(req), res, {
      what: 'weiqifu-daily-balances',
      title: '微企付日终余额',
      columns: [
        ['日期', (r) => r.day],
        ['微企付商户号', (r) => r.merchantNo],
        ['日终余额（元）', (r) => r.balance],
      ],
      list: async () => answer,
      filters: { from: answer.from, to: answer.to },
    });
  });
  return router;
}

export const paymentSolutionsDoc: RouterDoc = {
  tag: '支付解决方案',
  admits: ['APPLICATION'],
  routes: {
    'GET /b2b-store': { summary: '小程序B2B门店助手参数：支付商户查询（含渠道侧 appkey 配置状态）' },
    'PUT /b2b-store/app-key': {
      summary: '小程序B2B门店助手参数：配置 appkey（提交至支付渠道，仅保存脱敏值）',
      body: b2bAppKeySchema,
      example: { merchantNo: 'B2B534796510499', appKey: 'A1b2C3d4E5f6G7h8J9k0L1m2N3p4Q5r6' },
    },
    'GET /weiqifu': { summary: '微企付：支付商户与实时余额（渠道实时查询），以及各查询的默认日期' },
    'GET /weiqifu/files': { summary: '微企付：下载交易对账单（TRADE）或资金对账单（FUND），默认 D-1 日', query: weiqifuFileSchema },
    'GET /weiqifu/daily-balances': { summary: '微企付：日终余额查询，默认最近一个月（至 D-1）', query: weiqifuDailyBalancesSchema },
    'GET /weiqifu/daily-balances/export': { summary: '微企付：日终余额导出（XLSX）', query: weiqifuDailyBalancesSchema },
  },
};
