import { z } from 'zod';
import { AGREEMENT_TYPES, APPLICATION_ONBOARDING_STATUS_LABELS, MERCHANT_TYPES, NON_STANDARD_REQUESTS } from '../../domain/application-onboarding';
import { isValidMobile } from '../../domain/identity';
import { paginationSchema } from '../pagination';

const keys = <T extends object>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];
const flag = (label: string) => z.boolean({ error: `${label}须为是或否` }).default(false);

export const scenarioSchema = z.object(
  {
    merchantType: z.enum(keys(MERCHANT_TYPES), { error: '请选择商户类型（企业、个人或事业单位）' }),
    online: flag('线上场景'),
    website: flag('线上网站场景'),
    paymentProducts: flag('开通支付产品'),
    cashier: flag('开通收银宝'),
    b2bStoreAssistant: flag('开通小程序B2B门店助手'),
    weiqifu: flag('开通微企付'),
    payoutOrCollection: flag('代付、收托抵用'),
    splitAccounts: flag('开通分账'),
    brandOrFranchise: flag('品牌授权或加盟'),
    siteVisitVideoInsteadOfPhoto: flag('以现场考察视频代替客户经理门头合照'),
    fundPoolingSameEntity: flag('父子商户同主体'),
    nonStandard: z
      .array(z.enum(keys(NON_STANDARD_REQUESTS), { error: '非标申请类型不正确' }), { error: '非标申请须为列表' })
      .max(5)
      .default([])
      .transform((list) => [...new Set(list)]),
  },
  { error: '请选择业务场景' },
);

export const customerSchema = z.object({
  customerName: z.string({ error: '请填写客户名称' }).trim().min(2, '客户名称至少2个字').max(60, '客户名称不能超过60个字'),
  agreementType: z.enum(keys(AGREEMENT_TYPES), { error: '请选择合作协议类型' }),
  fundMode: z.enum(['POST_SETTLEMENT', 'REALTIME_SETTLEMENT'], { error: '请选择资金管理模式（后结算或实时结算）' }),
  serviceProviderId: z.uuid({ error: '请选择服务商' }),
  legalRepName: z.string({ error: '请填写法定代表人姓名' }).trim().min(2, '法定代表人姓名至少2个字').max(30, '法定代表人姓名不能超过30个字'),
  legalRepPhone: z.string({ error: '请填写法定代表人手机号' }).trim().refine(isValidMobile, '法定代表人手机号格式不正确，应为11位大陆手机号'),
  contactEmail: z.email({ error: '联系邮箱格式不正确' }).max(120, '联系邮箱过长'),
  scenario: scenarioSchema,
});
export type CustomerInput = z.infer<typeof customerSchema>;

export const listOnboardingsSchema = z
  .object({
    status: z.enum(keys(APPLICATION_ONBOARDING_STATUS_LABELS), { error: '开通状态不正确' }).optional(),
    q: z.string().trim().max(60, '搜索内容过长').optional(),
  })
  .extend(paginationSchema.shape);

export const onboardingIdSchema = z.object({ id: z.uuid({ error: '开通申请ID格式不正确' }) });
export const materialParamsSchema = onboardingIdSchema.extend({ code: z.string().regex(/^[A-Z_]{2,60}$/, '材料编码不正确') });
export const fileParamsSchema = onboardingIdSchema.extend({ fileId: z.uuid({ error: '文件ID格式不正确' }) });
