/** 人员管理: what a headquarters operator sends to administer staff users. */
import { z } from 'zod';

/** The staff roles headquarters administers (platform and provider accounts are made by their own flows). */
export const STAFF_ROLES = ['OPERATOR', 'REVIEWER', 'BRANCH_USER'] as const;
export const STAFF_ROLE_LABELS: Record<(typeof STAFF_ROLES)[number], string> = {
  OPERATOR: '运营人员（总部）',
  REVIEWER: '审核人员',
  BRANCH_USER: '分公司业务人员',
};

const role = z.enum(STAFF_ROLES, { error: '角色须为运营人员、审核人员或分公司业务人员' });

export const createStaffSchema = z.object({
  username: z
    .string({ error: '请填写登录名' })
    .trim()
    .regex(/^[a-z][a-z0-9._-]{2,31}$/, { error: '登录名须为3至32位小写字母、数字或 . _ -，以字母开头' }),
  displayName: z.string({ error: '请填写姓名' }).trim().min(1, { error: '请填写姓名' }).max(40, { error: '姓名最长40个字符' }),
  role,
  phone: z.string({ error: '请填写手机号' }).regex(/^1[3-9]\d{9}$/, { error: '手机号格式不正确' }),
  /** The branch the person works for; absent or null: headquarters. */
  branchId: z.uuid({ error: '分公司ID格式不正确' }).nullish(),
});
export type CreateStaffInput = z.infer<typeof createStaffSchema>;

export const staffIdSchema = z.object({ id: z.uuid({ error: '人员ID格式不正确' }) });
export const staffRoleSchema = z.object({ role });
export const disableStaffSchema = z.object({
  reason: z.string({ error: '请填写停用原因' }).trim().min(2, { error: '请填写停用原因' }).max(200, { error: '原因最长200个字符' }),
});

export const staffBranchSchema = z.object({ branchId: z.uuid({ error: '分公司ID格式不正确' }).nullable() });

export const createBranchSchema = z.object({
  code: z
    .string({ error: '请填写分公司代码' })
    .trim()
    .regex(/^[A-Z][A-Z0-9]{1,15}$/, { error: '分公司代码须为2至16位大写字母或数字，以字母开头' }),
  name: z.string({ error: '请填写分公司名称' }).trim().min(2, { error: '请填写分公司名称' }).max(40, { error: '分公司名称最长40个字符' }),
});

export const appNoParamsSchema = z.object({ appNo: z.string().regex(/^[A-Za-z0-9]{1,32}$/, { error: '应用编号格式不正确' }) });
export const applicationBranchSchema = z.object({
  branchId: z.uuid({ error: '分公司ID格式不正确' }),
  reason: z.string({ error: '请填写调整原因' }).trim().min(2, { error: '请填写调整原因' }).max(200, { error: '原因最长200个字符' }),
});
