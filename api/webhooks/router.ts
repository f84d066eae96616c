import { Router } from 'express';
import type { AppDeps } from '../context';
import { actorOf, requireRole } from '../context';
import type { RouterDoc } from '../route-docs';
import { listDeliveriesSchema, listEventsSchema, replaySchema, webhookSchema } from './schemas';
import { getWebhook, listDeliveries, listMemberEvents, replayMemberEvents, rotateWebhookSecret, saveWebhook } from './service';

/** 事件推送: the application's webhook, its member events, the delivery log and replays. */
export function webhooksRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requireRole('APPLICATION'));
  router.get('/', async (req, res) => {
    res.json(await getWebhook(deps, actorOf(req)));
  });
  router.put('/', async (req, res) => {
    res.json(await saveWebhook(deps, actorOf(req), webhookSchema.parse(req.body ?? {})));
  });
  router.post('/secret', async (req, res) => {
    res.json(await rotateWebhookSecret(deps, actorOf(req)));
  });
  router.get('/events', async (req, res) => {
    res.json(await listMemberEvents(deps, actorOf(req), listEventsSchema.parse(req.query)));
  });
  router.get('/deliveries', async (req, res) => {
    res.json(await listDeliveries(deps, actorOf(req), listDeliveriesSchema.parse(req.query)));
  });
  router.post('/replay', async (req, res) => {
    res.json(await replayMemberEvents(deps, actorOf(req), replaySchema.parse(req.body ?? {}).fromEventId));
  });
  return router;
}

/** 会员事件推送 in the portal's API document. */
export const webhooksDoc: RouterDoc = {
  tag: '会员事件推送',
  admits: ['APPLICATION'],
  routes: {
    'GET /': { summary: '推送配置' },
    'PUT /': { summary: '设置推送地址', body: webhookSchema, example: { url: 'https://platform.example.com/yst/events', enabled: true } },
    'POST /secret': { summary: '重新生成签名密钥（HMAC）' },
    'GET /events': { summary: '会员事件', query: listEventsSchema },
    'GET /deliveries': { summary: '推送记录', query: listDeliveriesSchema },
    'POST /replay': { summary: '从某事件起重新推送', body: replaySchema, example: { fromEventId: '1024' } },
  },
};
