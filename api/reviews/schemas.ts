import { z } from 'zod';
import { paginationSchema } from '../pagination';

export const listReviewsSchema = z
  .object({
    state: z.enum(['PENDING', 'DECIDED'], { error: '状态须为待审核或已审核' }).default('PENDING'),
    kind: z
      .enum(['IMPORT_WINDOW', 'IMPORT_TASK', 'MIGRATION_REQUEST', 'MIGRATION_FILE', 'STATEMENT_ENABLEMENT', 'APPLICATION_ONBOARDING', 'APPLICATION_GO_LIVE'], {
        error: '审核类型不正确',
      })
      .optional(),
  })
  .extend(paginationSchema.shape);
export type ListReviewsInput = z.infer<typeof listReviewsSchema>;

export const reviewIdSchema = z.object({ id: z.uuid({ error: '审核事项ID格式不正确' }) });

export const decisionSchema = z
  .object({
    approve: z.boolean({ error: '请选择通过或驳回' }),
    reason: z.string({ error: '请填写审核意见' }).trim().max(500, '审核意见不能超过500个字').default(''),
  })
  .refine((d) => d.approve || d.reason.length >= 2, { message: '驳回时请填写原因', path: ['reason'] });
