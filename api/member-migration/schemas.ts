import { z } from 'zod';
import { consentAttestationSchema } from '../batch-import/schemas';
import { paginationSchema } from '../pagination';

export const fileMigrationSchema = z.object({
  appNo: z
    .string({ error: '请输入应用编号' })
    .trim()
    .regex(/^[A-Za-z0-9]{1,32}$/, '应用编号格式不正确'),
  reason: z.string({ error: '请填写迁移说明' }).trim().min(2, '请填写迁移说明').max(500, '迁移说明不能超过500个字'),
});

export const listMigrationsSchema = z
  .object({
    status: z
      .enum(['IN_REVIEW', 'AWAITING_CONFIGURATION', 'AWAITING_FILE', 'FILE_IN_REVIEW', 'EXECUTING', 'COMPLETED', 'REJECTED'], { error: '迁移状态不正确' })
      .optional(),
  })
  .extend(paginationSchema.shape);

export const migrationIdSchema = z.object({ id: z.uuid({ error: '迁移申请ID格式不正确' }) });
export const migrationFileSchema = z.object({ kind: z.enum(['INDIVIDUAL', 'ENTERPRISE'], { error: '迁移文件类型须为个人会员或企业会员' }) });
export const submitFileSchema = z.object({ taskId: z.uuid({ error: '任务ID格式不正确' }) }).extend(consentAttestationSchema.shape);
