/** 人员管理: what a headquarters operator sends to administer staff users. */
import { z } from 'zod';

/** The staff roles headquarters administers (platform and provider accounts are made by their own flows). */
export const STAFF_ROLES = ['OPERATOR', 'REVIEWER'] as const;
export const STAFF_ROLE_LABELS: Record<(typeof STAFF_ROLES)[number], string> = { OPERATOR: '运营人员（总部）', REVIEWER: '审核人员' };

const role = z.enum(STAFF_ROLES, { error: '角色须为运营人员或审核人员' });

export const createStaffSchema = z.object({
  username: z
    .string({ error: '请填写登录名' })
    .trim()
    .regex(/^[a-z][a-z0-9._-]{2,31}$/, { error: '登录名须为3至32位小写字母、数字或 . _ -，以字母开头' }),
  displayName: z.string({ error: '请填写姓名' }).trim().min(1, { error: '请填写姓名' }).max(40, { error: '姓名最长40个字符' }),
  role,
  phone: z.string({ error: '请填写手机号' }).regex(/^1[3-9]\d{9}$/, { error: '手机号格式不正确' }),
});
export type CreateStaffInput = z.infer<typeof createStaffSchema>;

export const staffIdSchema = z.object({ id: z.uuid({ error: '人员ID格式不正确' }) });
export const staffRoleSchema = z.object({ role });
export const disableStaffSchema = z.object({
  reason: z.string({ error: '请填写停用原因' }).trim().min(2, { error: '请填写停用原因' }).max(200, { error: '原因最长200个字符' }),
});
