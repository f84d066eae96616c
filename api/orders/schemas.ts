import { z } from 'zod';
import { calendarDay, paginationSchema } from '../pagination';

/** A yuan amount with at most two decimals, turned into integer fen without floating point. */
const yuanAmount = z
  .string()
  .trim()
  .regex(/^\d{1,12}(\.\d{1,2})?$/, '金额须为不超过两位小数的非负数')
  .transform((v) => {
    const [whole, cents = ''] = v.split('.');
    return Number(whole) * 100 + Number(cents.padEnd(2, '0'));
  });

export const ORDER_TYPES = ['TOP_UP', 'CONSUMPTION', 'GUARANTEED_PAYMENT', 'GUARANTEE_CONFIRMATION', 'WITHDRAWAL', 'REFUND', 'TRANSFER', 'SETTLEMENT'] as const;

/** 订单查询: 订单生成时间 (defaults to the current month, at most 90 days), 交易查询 and filters. */
export const listOrdersSchema = z
  .object({
    from: calendarDay('开始日期'),
    to: calendarDay('结束日期'),
    q: z.string().trim().max(64, '交易查询内容过长').optional(),
    type: z.enum(ORDER_TYPES, { error: '订单类型不正确' }).optional(),
    status: z.enum(['CREATED', 'PROCESSING', 'SUCCESS', 'FAILED', 'CLOSED'], { error: '订单状态不正确' }).optional(),
    bizUserId: z.string().trim().max(64, '会员编号过长').optional(),
    minYuan: yuanAmount.optional(),
    maxYuan: yuanAmount.optional(),
  })
  .extend(paginationSchema.shape);
export type ListOrdersInput = z.infer<typeof listOrdersSchema>;

export const orderIdSchema = z.object({ id: z.uuid({ error: '订单ID格式不正确' }) });

export const guaranteeLinksSchema = z
  .object({ from: calendarDay('开始日期'), to: calendarDay('结束日期'), q: z.string().trim().max(64).optional() })
  .extend(paginationSchema.shape);

const memberNumber = (what: string) => z.string().trim().min(1, `请填写${what}`).max(64, `${what}过长`);

/**
 * 下单: an order of one of the kinds the product makes, its members named by 会员编号 and its
 * amount in yuan (more than 0, at most two decimals). What each kind needs:
 * 充值 a card method; 消费 a method (余额支付 needs the paying member); 提现 the member's card; 转账 the paying member;
 * 退款 the 商户订单号 of the consumption it refunds (its members and payment method are that order's).
 */
export const createOrderSchema = z
  .object({
    kind: z.enum(['TOP_UP', 'CONSUMPTION', 'GUARANTEED_PAYMENT', 'GUARANTEE_CONFIRMATION', 'WITHDRAWAL', 'TRANSFER', 'REFUND', 'SETTLEMENT'], {
      error: '订单类型须为充值、消费、担保支付、担保确认、提现、转账、退款或结算',
    }),
    bizOrderNo: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, '商户订单号须为1-64位字母、数字、下划线或连字符'),
    amount: yuanAmount.refine((fen) => fen > 0, '金额须大于0'),
    receiver: memberNumber('收款会员编号').optional(),
    payer: memberNumber('付款会员编号').optional(),
    paymentMethod: z.enum(['QUICK_PAY', 'GATEWAY', 'WECHAT', 'ALIPAY', 'BALANCE'], { error: '支付方式不正确' }).optional(),
    cardId: z.uuid({ error: '银行卡ID格式不正确' }).optional(),
    originalBizOrderNo: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, '原商户订单号格式不正确')
      .optional(),
  })
  .superRefine((o, ctx) => {
    const need = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (o.kind === 'TOP_UP' && (!o.paymentMethod || o.paymentMethod === 'BALANCE')) need('paymentMethod', '充值须选择银行卡或第三方支付方式');
    if (o.kind === 'CONSUMPTION' && !o.paymentMethod) need('paymentMethod', '消费须选择支付方式');
    if (o.kind === 'CONSUMPTION' && o.paymentMethod === 'BALANCE' && !o.payer) need('payer', '余额支付须填写付款会员编号');
    if (o.kind === 'TRANSFER' && !o.payer) need('payer', '转账须填写付款会员编号');
    if (o.kind === 'WITHDRAWAL' && !o.cardId) need('cardId', '提现须选择会员本人的银行卡');
    if (o.kind === 'REFUND' && !o.originalBizOrderNo) need('originalBizOrderNo', '退款须填写原订单的商户订单号');
    if (o.kind === 'GUARANTEE_CONFIRMATION' && !o.originalBizOrderNo) need('originalBizOrderNo', '担保确认须填写担保支付订单的商户订单号');
    if (o.kind === 'GUARANTEED_PAYMENT' && !o.paymentMethod) need('paymentMethod', '担保支付须选择支付方式');
    if (o.kind === 'GUARANTEED_PAYMENT' && o.paymentMethod === 'BALANCE' && !o.payer) need('payer', '余额支付须填写付款会员编号');
    if (o.kind !== 'REFUND' && o.kind !== 'GUARANTEE_CONFIRMATION' && !o.receiver) need('receiver', '请填写收款会员编号');
  });
export type CreateOrderInput = z.infer<typeof createOrderSchema>;

/** Open API: where the result of an order decided later goes (optional). */
export const notifySchema = z.object({
  notifyUrl: z
    .string({ error: '通知地址须为字符串' })
    .trim()
    .max(500, '通知地址不能超过500个字符')
    .url('通知地址须为 http(s) 地址')
    .refine((u) => /^https?:\/\//i.test(u), '通知地址须为 http(s) 地址')
    .optional(),
});

export const bizOrderNoSchema = z.object({
  bizOrderNo: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '商户订单号须为1-64位字母、数字、下划线或连字符'),
});
