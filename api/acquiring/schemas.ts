import { z } from 'zod';
import { paginationSchema } from '../pagination';

/** 收单商户管理 filters; the same filter selects "all filtered" for a batch send. */
export const merchantFilterSchema = z.object({
  keyword: z.string().trim().max(100, '关键字过长').optional(),
  type: z.enum(['INDIVIDUAL', 'ENTERPRISE'], { error: '会员类型须为个人会员或企业会员' }).optional(),
  status: z.enum(['PENDING', 'NORMAL', 'EXPIRED'], { error: '会员状态不正确' }).optional(),
  phoneBound: z.enum(['true', 'false'], { error: 'phoneBound 须为 true 或 false' }).optional(),
});
export type MerchantFilter = z.infer<typeof merchantFilterSchema>;

export const listMerchantsSchema = merchantFilterSchema.extend(paginationSchema.shape);
export type ListMerchantsInput = z.infer<typeof listMerchantsSchema>;
