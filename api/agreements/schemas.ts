import { z } from 'zod';
import { calendarDay, paginationSchema } from '../pagination';

const date = calendarDay;

/** 会员协议管理 / 会员支付账户协议管理 filters. */
export const listAgreementsSchema = z
  .object({
    category: z.enum(['MEMBER', 'PAYMENT_ACCOUNT'], { error: '协议类别须为会员协议或会员支付账户协议' }),
    keyword: z.string().trim().max(100, '关键字过长').optional(),
    kind: z.enum(['MEMBER_SERVICE', 'PAYMENT_ACCOUNT_SERVICE', 'SETTLEMENT_AUTHORISATION', 'SPLIT_RULE'], { error: '协议类型不正确' }).optional(),
    online: z.enum(['true', 'false'], { error: '签约方式须为线上或线下' }).optional(),
    signedFrom: date('签约开始日期'),
    signedTo: date('签约结束日期'),
  })
  .extend(paginationSchema.shape);
export type ListAgreementsInput = z.infer<typeof listAgreementsSchema>;

export const agreementIdSchema = z.object({ id: z.uuid({ error: '协议ID格式不正确' }) });
