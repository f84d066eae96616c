import { Router } from 'express';
import type { AppDeps } from '../context';
import { actorOf, requireRole } from '../context';
import type { RouterDoc } from '../route-docs';
import { createOrderSchema, guaranteeLinksSchema, listOrdersSchema, orderIdSchema } from './schemas';
import { createOrder, getOrder, listGuaranteeLinks, listOrders } from './service';
import { sendListExport } from '../list-exports';
import { shanghaiDateTime, yuan } from '../../domain/ledger';

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
  router.get('/export', async (req, res) => {
    const filters = listOrdersSchema.parse(req.query);
    await sendListExport(deps, actorOf(req), res, {
      what: 'orders',
      title: '订单列表',
      filters,
      list: (window) => listOrders(deps, actorOf(req), { ...filters, ...window }),
      columns: [
        ['创建时间', (o) => shanghaiDateTime(new Date(o.createdAt))],
        ['云商通订单号', (o) => o.orderNo],
        ['商户订单号', (o) => o.bizOrderNo],
        ['订单类型', (o) => o.typeLabel],
        ['订单状态', (o) => o.statusLabel],
        ['金额(元)', (o) => yuan(o.amountFen)],
        ['手续费(元)', (o) => yuan(o.feeFen)],
        ['收款方', (o) => o.member],
        ['付款方', (o) => o.payer],
        ['支付方式', (o) => o.paymentMethod],
        ['渠道交易类型', (o) => o.channelType],
        ['卡类别', (o) => o.cardType],
        ['渠道流水号', (o) => o.channelSerial],
        ['完成时间', (o) => (o.finishedAt ? shanghaiDateTime(new Date(o.finishedAt)) : '')],
        ['失败原因', (o) => o.failureReason],
      ],
    });
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
    'GET /export': { summary: '订单列表导出（XLSX，至多 10,000 行）', query: listOrdersSchema, answer: 'file' },
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
