import { z } from 'zod';

export const loginSchema = z.object({
  username: z.string({ error: '请输入账号' }).trim().min(1, '请输入账号').max(64, '账号过长'),
  password: z.string({ error: '请输入密码' }).min(1, '请输入密码').max(128, '密码过长'),
});
export type LoginInput = z.infer<typeof loginSchema>;

const newPassword = z.string({ error: '请输入新密码' }).min(1, '请输入新密码').max(64, '密码不能超过64位');

export const changePasswordSchema = z.object({
  currentPassword: z.string({ error: '请输入当前密码' }).min(1, '请输入当前密码').max(128, '密码过长'),
  newPassword,
});

export const resetCodeSchema = z.object({ username: loginSchema.shape.username });

export const resetPasswordSchema = z.object({
  username: loginSchema.shape.username,
  code: z.string({ error: '请输入验证码' }).regex(/^\d{6}$/, '验证码为6位数字'),
  newPassword,
});
