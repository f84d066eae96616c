import { Router } from 'express';
import type { AppDeps } from '../context';
import { actorOf, requireRole } from '../context';
import { createOrderSchema, guaranteeLinksSchema, listOrdersSchema, orderIdSchema } from './schemas';
import { createOrder, getOrder, listGuaranteeLinks, listOrders } from './service';

/** 订单管理: 订单查询, 订单详情, 担保消费关联查询. */
export function ordersRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requireRole('APPLICATION'));
  router.get('/', async (req, res) => {
    res.json(await listOrders(deps, actorOf(req), listOrdersSchema.parse(req.query)));
  });
  // 下单: 201 for a new order, 200 with the first answer when the same request comes again.
  router.post('/', async (req, res) => {
    const { created, order } = await createOrder(deps, actorOf(req), createOrderSchema.parse(req.body ?? {}));
    res.status(created ? 201 : 200).json(order);
  });
  router.get('/guarantee-links', async (req, res) => {
    res.json(await listGuaranteeLinks(deps, actorOf(req), guaranteeLinksSchema.parse(req.query)));
  });
  router.get('/:id', async (req, res) => {
    res.json(await getOrder(deps, actorOf(req), orderIdSchema.parse(req.params).id));
  });
  return router;
}
