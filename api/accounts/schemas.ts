import { z } from 'zod';
import { calendarDay, paginationSchema } from '../pagination';

export const listAccountsSchema = z
  .object({
    bizUserId: z.string().trim().max(64, '会员编号过长').optional(),
    kind: z.enum(['BOOKKEEPING', 'PAYMENT', 'PENDING_SETTLEMENT'], { error: '账户类型须为簿记账户、支付账户或待结算户' }).optional(),
  })
  .extend(paginationSchema.shape);

export const accountIdSchema = z.object({ id: z.uuid({ error: '账户ID格式不正确' }) });

export const rangeSchema = z.object({ from: calendarDay('开始日期'), to: calendarDay('结束日期') });
export const pagedRangeSchema = rangeSchema.extend(paginationSchema.shape);

export const movementIdSchema = z.object({ id: z.uuid({ error: '账户ID格式不正确' }), movementId: z.uuid({ error: '账户明细ID格式不正确' }) });
