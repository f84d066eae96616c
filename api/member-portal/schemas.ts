import { z } from 'zod';
import { isValidMobile } from '../../domain/identity';

const phone = z.string({ error: '请输入手机号' }).trim().refine(isValidMobile, '手机号格式不正确，应为11位大陆手机号');
const code = z
  .string({ error: '请输入验证码' })
  .trim()
  .regex(/^\d{6}$/, '验证码为6位数字');

export const phoneSchema = z.object({ phone });
export const phoneCodeSchema = z.object({ phone, code });

/** 撤回个人信息处理授权: why (kept with the consent records and the audit). */
export const consentWithdrawalSchema = z.object({
  reason: z.string({ error: '请填写撤回原因' }).trim().min(2, { error: '请填写撤回原因' }).max(200, { error: '原因最长200个字符' }),
});

export const setupSchema = z.discriminatedUnion(
  'mode',
  [
    z.object({
      memberId: z.uuid({ error: '请选择要开通的会员' }),
      mode: z.literal('PASSWORD'),
      username: z
        .string({ error: '请设置用户名' })
        .trim()
        .regex(/^[A-Za-z][A-Za-z0-9_]{3,31}$/, '用户名须为4到32位字母、数字或下划线，以字母开头'),
      password: z.string({ error: '请设置登录密码' }).min(1, '请设置登录密码').max(64, '密码不能超过64位'),
    }),
    z.object({ memberId: z.uuid({ error: '请选择要开通的会员' }), mode: z.literal('PHONE') }),
  ],
  { error: '请选择登录方式：账号密码登录或手机号登录' },
);
export type SetupInput = z.infer<typeof setupSchema>;
