import { Router } from 'express';
import type { AppDeps } from '../context';
import { actorOf, requireRole } from '../context';
import { CONTENT_TYPES, sendAsFile } from '../downloads';
import { generateEncryptionKey, getCertificates, platformPublicKey, savePublicKey } from './certificates';
import { basicInfo, overview, trends } from './data-overview';
import { publicKeySchema, trendsSchema, wechatPaySettingSchema } from './schemas';
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
  router.get('/overview', async (req, res) => {
    res.json(await overview(deps, actorOf(req)));
  });
  router.get('/trends', async (req, res) => {
    res.json(await trends(deps, actorOf(req), trendsSchema.parse(req.query)));
  });
  router.get('/basic-info', async (req, res) => {
    res.json(await basicInfo(deps, actorOf(req)));
  });
  router.get('/certificates', async (req, res) => {
    res.json(await getCertificates(deps, actorOf(req)));
  });
  router.put('/certificates/public-key', async (req, res) => {
    res.json(await savePublicKey(deps, actorOf(req), publicKeySchema.parse(req.body ?? {}).publicKey));
  });
  router.post('/certificates/encryption-key', async (req, res) => {
    res.json(await generateEncryptionKey(deps, actorOf(req)));
  });
  router.get('/certificates/platform-public-key', async (_req, res) => {
    sendAsFile(res, '通联公钥（SM2）.txt', CONTENT_TYPES.TXT);
    res.send(`${await platformPublicKey(deps)}\n`);
  });
  return router;
}
