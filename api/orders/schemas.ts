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

export const ORDER_TYPES = ['TOP_UP', 'CONSUMPTION', 'GUARANTEED_PAYMENT', 'GUARANTEE_CONFIRMATION', 'WITHDRAWAL', 'REFUND', 'TRANSFER'] as const;

/** 订单查询: 订单生成时间 (defaults to the current month, at most 90 days), 交易查询 and filters. */
export const listOrdersSchema = z
  .object({
    from: calendarDay('开始日期'),
    to: calendarDay('结束日期'),
    q: z.string().trim().max(64, '交易查询内容过长').optional(),
    type: z.enum(ORDER_TYPES, { error: '订单类型不正确' }).optional(),
    status: z.enum(['SUCCESS', 'PROCESSING', 'FAILED'], { error: '订单状态不正确' }).optional(),
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
