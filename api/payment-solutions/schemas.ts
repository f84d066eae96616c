import { z } from 'zod';

/** WeChat's B2B AppKey, from the mini program's 门店助手 settings: 32 letters and digits. */
export const b2bAppKeySchema = z.object({
  merchantNo: z.string({ error: '请选择支付商户' }).trim().min(1, '请选择支付商户').max(32, '支付商户号过长'),
  appKey: z
    .string({ error: '请填写 appkey' })
    .trim()
    .regex(/^[A-Za-z0-9]{32}$/, 'appkey 须为32位字母或数字（在微信小程序后台“门店助手”中获取）'),
});
export type B2bAppKeyInput = z.infer<typeof b2bAppKeySchema>;
