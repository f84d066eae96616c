import { Router } from 'express';
import type { AppDeps } from '../context';
import { actorOf, requireRole } from '../context';
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
