import { Router } from 'express';
import type { AppDeps } from '../context';
import type { RouterDoc } from '../route-docs';
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

/** 应用中心 in the portal's API document. */
export const applicationCentreDoc: RouterDoc = {
  tag: '应用中心',
  admits: ['APPLICATION'],
  routes: {
    'GET /wechat-pay': { summary: '微信支付配置查询' },
    'PUT /wechat-pay': {
      summary: '微信支付配置（appid 与支付授权目录）',
      body: wechatPaySettingSchema,
      example: { appId: 'wx0123456789abcdef', directories: ['https://pay.example.com/pay/'] },
    },
    'GET /overview': { summary: '数据概览：会员、账户与当日交易' },
    'GET /trends': { summary: '数据概览：交易趋势（按日）', query: trendsSchema },
    'GET /basic-info': { summary: '应用基本信息' },
    'GET /certificates': { summary: '证书管理：应用公钥、敏感信息加密秘钥与通联公钥' },
    'PUT /certificates/public-key': {
      summary: '上传应用公钥（SM2，验签开放接口请求）',
      body: publicKeySchema,
      example: { publicKey: `04${'a1'.repeat(64)}` },
    },
    'POST /certificates/encryption-key': { summary: '生成敏感信息加密秘钥（SM4；旧秘钥在重叠期内仍可用）' },
    'GET /certificates/platform-public-key': { summary: '下载通联公钥（验平台应答与通知的签名）', answer: 'file' },
  },
};
