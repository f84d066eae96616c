import { Router } from 'express';
import type { AppDeps } from '../context';
import type { RouterDoc } from '../route-docs';
import { actorOf, requireRole } from '../context';
import { b2bAppKeySchema } from './schemas';
import { configureB2bAppKey, getB2bStoreAssistant } from './service';

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
      example: { merchantNo: 'B2B100100100001', appKey: 'A1b2C3d4E5f6G7h8J9k0L1m2N3p4Q5r6' },
    },
  },
};
