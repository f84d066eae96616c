import { Router } from 'express';
import type { AppDeps } from '../context';
import { actorOf, requireRole } from '../context';
import type { RouterDoc } from '../route-docs';
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

/** 订单管理 in the portal's API document. */
export const ordersDoc: RouterDoc = {
  tag: '订单管理',
  admits: ['APPLICATION'],
  routes: {
    'GET /': { summary: '订单查询', query: listOrdersSchema },
    'POST /': {
      summary: '下单（新订单 201；同一商户订单号的相同请求 200 返回首次结果，不同内容 409）',
      body: createOrderSchema,
      status: 201,
      example: { kind: 'TOP_UP', bizOrderNo: 'T-20261201-0001', amount: '200.00', receiver: 'M-10001', paymentMethod: 'QUICK_PAY' },
    },
    'GET /guarantee-links': { summary: '担保消费关联查询', query: guaranteeLinksSchema },
    'GET /:id': { summary: '订单详情', params: orderIdSchema },
  },
};
