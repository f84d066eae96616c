import { z } from 'zod';
import { OVERVIEW_TYPE_KEYS, type OverviewType } from '../../domain/data-overview';

/** WeChat app ids are "wx" and 16 lowercase hex characters. */
export const WECHAT_APP_ID = /^wx[0-9a-f]{16}$/;
/** WeChat accepts at most 5 payment authorisation directories. */
export const MAX_DIRECTORIES = 5;

const directory = z
  .string({ error: '请填写支付授权目录' })
  .trim()
  .max(256, '支付授权目录不能超过256个字符')
  .refine((d) => {
    try {
      const u = new URL(d);
      return (u.protocol === 'https:' || u.protocol === 'http:') && !u.search && !u.hash && d.endsWith('/');
    } catch {
      return false;
    }
  }, '支付授权目录须为以 / 结尾的 http(s) 地址，如 https://pay.example.com/pay/');

export const wechatPaySettingSchema = z.object({
  appId: z.string({ error: '请填写微信支付 appid' }).trim().regex(WECHAT_APP_ID, '微信支付 appid 格式不正确（wx 开头，共18位）'),
  directories: z
    .array(directory, { error: '请填写支付授权目录' })
    .min(1, '请至少填写一个支付授权目录')
    .max(MAX_DIRECTORIES, `支付授权目录最多${MAX_DIRECTORIES}个`)
    .refine((ds) => new Set(ds).size === ds.length, '支付授权目录不能重复'),
});
export type WechatPaySettingInput = z.infer<typeof wechatPaySettingSchema>;

export const publicKeySchema = z.object({
  publicKey: z
    .string({ error: '请填写应用公钥（SM2）' })
    .trim()
    .transform((k) => k.toLowerCase())
    .pipe(z.string().regex(/^04[0-9a-f]{128}$/, '应用公钥须为130位十六进制的SM2非压缩公钥（04开头），可用“生成秘钥对”后“一键回填”')),
});

const day = (label: string) => z.string({ error: `请选择${label}` }).regex(/^\d{4}-\d{2}-\d{2}$/, `${label}格式须为 YYYY-MM-DD`);
export const trendsSchema = z.object({
  from: day('开始日期'),
  to: day('结束日期'),
  types: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(',').filter(Boolean) : [...OVERVIEW_TYPE_KEYS]))
    .pipe(
      z
        .array(z.enum(OVERVIEW_TYPE_KEYS as [OverviewType, ...OverviewType[]], { error: '交易类型须为充值、消费、担保消费、提现或退款' }))
        .min(1, '请至少选择一种交易类型'),
    ),
});
