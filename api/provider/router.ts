import { Router } from 'express';
import type { AppDeps } from '../context';
import { actorOf, requireRole } from '../context';
import type { RouterDoc } from '../route-docs';
import { applicationIdSchema } from './schemas';
import { currentUser } from '../auth/service';
import { platformPublicKey } from '../certificates';
import { CONTENT_TYPES, sendAsFile } from '../downloads';
import { publicKeySchema } from '../application-centre/schemas';
import { generateProviderEncryptionKey, getProviderCertificates, saveProviderPublicKey } from './certificates';
import { enterApplication, listProviderApplications, providerHome, resetApplicationPassword } from './service';

/** 服务商: home (products and applications, 进入应用), 账户管理 and 重置密码. */
export function providerRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requireRole('SERVICE_PROVIDER'));
  router.get('/applications', async (req, res) => {
    res.json(await listProviderApplications(deps, actorOf(req)));
  });
  router.get('/home', async (req, res) => {
    res.json(await providerHome(deps, actorOf(req)));
  });
  router.post('/applications/:id/enter', async (req, res) => {
    const provider = actorOf(req);
    const acting = await enterApplication(deps, provider, applicationIdSchema.parse(req.params).id);
    req.session.providerActor = provider;
    req.session.actor = acting;
    res.json({ user: await currentUser(deps.services.prisma, acting, provider) });
  });
  router.post('/applications/:id/password-reset', async (req, res) => {
    res.json(await resetApplicationPassword(deps, actorOf(req), applicationIdSchema.parse(req.params).id));
  });
  // 服务商密钥: the provider's keys for service-provider mode.
  router.get('/certificates', async (req, res) => {
    res.json(await getProviderCertificates(deps, actorOf(req)));
  });
  router.put('/certificates/public-key', async (req, res) => {
    res.json(await saveProviderPublicKey(deps, actorOf(req), publicKeySchema.parse(req.body ?? {}).publicKey));
  });
  router.post('/certificates/encryption-key', async (req, res) => {
    res.json(await generateProviderEncryptionKey(deps, actorOf(req)));
  });
  router.get('/certificates/platform-public-key', async (_req, res) => {
    sendAsFile(res, '通联公钥（SM2）.txt', CONTENT_TYPES.TXT);
    res.send(`${await platformPublicKey(deps)}\n`);
  });
  return router;
}

/** 服务商门户 in the portal's API document. */
export const providerDoc: RouterDoc = {
  tag: '服务商门户',
  admits: ['SERVICE_PROVIDER'],
  routes: {
    'GET /applications': { summary: '服务商的应用' },
    'GET /home': { summary: '首页：产品与应用' },
    'POST /applications/:id/enter': { summary: '进入应用（以应用身份操作，可退出应用）', params: applicationIdSchema },
    'POST /applications/:id/password-reset': { summary: '重置应用的登录密码', params: applicationIdSchema },
    'GET /certificates': { summary: '服务商密钥：服务商公钥、敏感信息加密秘钥与通联公钥' },
    'PUT /certificates/public-key': {
      summary: '上传服务商公钥（SM2，服务商模式验签）',
      body: publicKeySchema,
      example: { publicKey: `04${'b2'.repeat(64)}` },
    },
    'POST /certificates/encryption-key': { summary: '生成服务商的敏感信息加密秘钥（SM4）' },
    'GET /certificates/platform-public-key': { summary: '下载通联公钥', answer: 'file' },
  },
};
