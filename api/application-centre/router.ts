import { Router } from 'express';
import type { AppDeps } from '../context';
import { actorOf, requireRole } from '../context';
import { wechatPaySettingSchema } from './schemas';
import { getWechatPaySetting, saveWechatPaySetting } from './service';

/** 应用中心 (the application's own settings). */
export function applicationCentreRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requireRole('APPLICATION'));
  router.get('/wechat-pay', async (req, res) => {
    res.json(await getWechatPaySetting(deps, actorOf(req)));
  });
  router.put('/wechat-pay', async (req, res) => {
    res.json(await saveWechatPaySetting(deps, actorOf(req), wechatPaySettingSchema.parse(req.body ?? {})));
  });
  return router;
}
