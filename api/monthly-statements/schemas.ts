import { z } from 'zod';

export const dailySchema = z.object({
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '对账日期格式须为 YYYY-MM-DD'),
  format: z.enum(['txt', 'xlsx'], { error: '日对账单格式须为 txt 或 xlsx' }).default('txt'),
});
export const monthlySchema = z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '对账月份格式须为 YYYY-MM') });
export const enablementRequestSchema = z.object({
  reason: z.string({ error: '请填写申请原因' }).trim().min(2, '请填写申请原因').max(500, '申请原因不能超过500个字'),
});
export const enablementIdSchema = z.object({ id: z.uuid({ error: '申请ID格式不正确' }) });
