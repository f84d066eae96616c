import { z } from 'zod';
import { merchantFilterSchema } from '../acquiring/schemas';
import { paginationSchema } from '../pagination';

export const MAX_BATCH_MEMBERS = 50_000;

/** 批量发送签约链接: either the selected members or every member matching a filter. */
export const sendBatchSchema = z
  .object({
    memberIds: z
      .array(z.uuid({ error: '会员ID格式不正确' }), { error: 'memberIds 须为会员ID数组' })
      .max(MAX_BATCH_MEMBERS, `单次最多选择 ${MAX_BATCH_MEMBERS} 个会员`)
      .optional(),
    allFiltered: merchantFilterSchema.optional(),
    validityDays: z.coerce.number({ error: '有效期须为天数' }).int('有效期须为整数天').min(1, '有效期至少1天').max(30, '有效期最长30天').default(7),
  })
  .refine((v) => (v.memberIds === undefined) !== (v.allFiltered === undefined), {
    message: '请选择会员，或选择“全部筛选结果”（二者选其一）',
    path: ['memberIds'],
  });
export type SendBatchInput = z.infer<typeof sendBatchSchema>;

export const batchIdSchema = z.object({ id: z.uuid({ error: '任务ID格式不正确' }) });

/** 会员签约链接查询. */
export const listSigningLinksSchema = z
  .object({
    keyword: z.string().trim().max(100, '关键字过长').optional(),
    status: z.enum(['PENDING', 'SENT', 'OPENED', 'SIGNED', 'EXPIRED', 'REVOKED'], { error: '链接状态不正确' }).optional(),
    batchId: z.uuid({ error: '任务ID格式不正确' }).optional(),
  })
  .extend(paginationSchema.shape);
export type ListSigningLinksInput = z.infer<typeof listSigningLinksSchema>;
