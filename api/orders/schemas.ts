import { z } from 'zod';
import { calendarDay, paginationSchema } from '../pagination';

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
    minYuan: z.coerce.number({ error: '金额须为数字' }).min(0, '金额不能为负').optional(),
    maxYuan: z.coerce.number({ error: '金额须为数字' }).min(0, '金额不能为负').optional(),
  })
  .extend(paginationSchema.shape);
export type ListOrdersInput = z.infer<typeof listOrdersSchema>;

export const orderIdSchema = z.object({ id: z.uuid({ error: '订单ID格式不正确' }) });

export const guaranteeLinksSchema = z
  .object({ from: calendarDay('开始日期'), to: calendarDay('结束日期'), q: z.string().trim().max(64).optional() })
  .extend(paginationSchema.shape);
