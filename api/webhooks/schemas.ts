import { z } from 'zod';
import { MEMBER_EVENT_TYPES } from '../../domain/member-events';
import { paginationSchema } from '../pagination';

export const webhookSchema = z.object({
  url: z
    .string({ error: '请填写推送地址' })
    .trim()
    .max(500, '推送地址不能超过500个字符')
    .url('推送地址须为 http(s) 地址')
    .refine((u) => /^https?:\/\//i.test(u), '推送地址须为 http(s) 地址'),
  enabled: z.boolean({ error: '请选择是否启用' }).default(true),
});

export const listEventsSchema = z.object({ type: z.enum(MEMBER_EVENT_TYPES, { error: '事件类型不正确' }).optional() }).extend(paginationSchema.shape);

const eventId = z
  .string({ error: '请填写事件编号' })
  .regex(/^[1-9]\d{0,17}$/, '事件编号须为正整数')
  .transform((v) => BigInt(v));

export const listDeliveriesSchema = z.object({ eventId: eventId.optional() }).extend(paginationSchema.shape);
export const replaySchema = z.object({
  fromEventId: z.union(
    [
      eventId,
      z
        .number()
        .int()
        .positive()
        .transform((n) => BigInt(n)),
    ],
    { error: '事件编号须为正整数' },
  ),
});
