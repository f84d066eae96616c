import { z } from 'zod';
import { calendarDay } from '../pagination';

/** WeChat's B2B AppKey, from the mini program's 门店助手 settings: 32 letters and digits. */
export const b2bAppKeySchema = z.object({
  merchantNo: z.string({ error: '请选择支付商户' }).trim().min(1, '请选择支付商户').max(32, '支付商户号过长'),
  appKey: z
    .string({ error: '请填写 appkey' })
    .trim()
    .regex(/^[A-Za-z0-9]{32}$/, 'appkey 须为32位字母或数字（在微信小程序后台“门店助手”中获取）'),
});
export type B2bAppKeyInput = z.infer<typeof b2bAppKeySchema>;

/** 微企付 → 文件下载: 交易对账单 or 资金对账单 of one day (default D-1). */
export const weiqifuFileSchema = z.object({
  type: z.enum(['TRADE', 'FUND'], { error: '文件类型须为交易对账单（TRADE）或资金对账单（FUND）' }),
  day: calendarDay('文件日期'),
});

/** 微企付 → 日终余额: from … to (default the last month). */
export const weiqifuDailyBalancesSchema = z.object({ from: calendarDay('开始日期'), to: calendarDay('结束日期') });
