/** 银行卡查询: what the platform asks of its members' bound cards. */
import { z } from 'zod';
import { paginationSchema } from '../pagination';

export const listBankCardsSchema = z
  .object({
    /** 对公户 (an enterprise's corporate account) or 对私户 (a person's card, an enterprise representative's too). */
    kind: z.enum(['CORPORATE', 'PERSONAL'], { error: '账户类型须为对公户或对私户' }).optional(),
    /** 已签约: the member signed its 会员服务协议 (onboarding finished with the SMS signature). */
    signed: z
      .enum(['true', 'false'], { error: '签约状态须为 true 或 false' })
      .transform((v) => v === 'true')
      .optional(),
    /** Member number or name (contains), or the card's last four digits. */
    keyword: z.string().trim().max(100, '关键字过长').optional(),
  })
  .extend(paginationSchema.shape);
export type ListBankCardsInput = z.infer<typeof listBankCardsSchema>;
