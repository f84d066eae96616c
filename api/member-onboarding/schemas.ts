/** What a member may send on the onboarding pages, with zh-CN messages. */
import { z } from 'zod';
import { PERSONAL_INFORMATION_CONSENT } from '../../domain/personal-information';
import { isValidBankCardNumber, isValidCreditCode, isValidIdCardNumber, isValidMobile, normalisePersonName, personNameProblem } from '../../domain/identity';

/** Normalised (NFC, one 间隔号) before anything stores, hashes or verifies it; the rule is domain/identity's. */
export const personName = z
  .string({ error: '请输入姓名' })
  .transform(normalisePersonName)
  .superRefine((name, ctx) => {
    const problem = personNameProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
const idNumber = z
  .string({ error: '请输入身份证号' })
  .trim()
  .toUpperCase()
  .refine((id) => isValidIdCardNumber(id), '身份证号码不正确（位数、出生日期或校验位有误）');
const mobile = z.string({ error: '请输入手机号' }).trim().refine(isValidMobile, '手机号格式不正确，应为11位大陆手机号');
const smsCode = z
  .string({ error: '请输入短信验证码' })
  .trim()
  .regex(/^\d{6}$/, '短信验证码为6位数字');

export const tokenParamsSchema = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{32}$/, '开户链接无效'),
});

export const realNameSchema = z.object({
  name: personName,
  idNumber,
  cardNumber: z
    .string({ error: '请输入银行卡号' })
    .transform((v) => v.replace(/\s+/g, ''))
    .refine(isValidBankCardNumber, '银行卡号不正确（应为12-19位数字并通过校验）'),
  phone: mobile,
});

export const companySchema = z.object({
  name: z.string({ error: '请输入企业名称' }).trim().min(2, '请输入企业名称').max(100, '企业名称不能超过100个字'),
  creditCode: z.string({ error: '请输入统一社会信用代码' }).trim().toUpperCase().refine(isValidCreditCode, '统一社会信用代码不正确（18位，校验位有误）'),
  address: z.string({ error: '请输入企业地址' }).trim().min(2, '请输入企业地址').max(200, '企业地址不能超过200个字'),
  businessScope: z.string({ error: '请输入经营范围' }).trim().min(2, '请输入经营范围').max(1000, '经营范围不能超过1000个字'),
});

export const legalRepresentativeSchema = z.object({ name: personName, idNumber, phone: mobile });

const CONSENT_MISSING = '请阅读《个人信息收集告知》并勾选敏感个人信息处理授权';
/**
 * PIPL: the separate consent to sensitive personal information, sent with the step that collects it
 * (实名信息, 法人信息, or the confirmation of a proxy onboarding), for the notice's current version.
 */
export const memberConsentSchema = z.object(
  {
    version: z.literal(PERSONAL_INFORMATION_CONSENT.version, { error: '个人信息收集告知已更新，请刷新页面后重新阅读并勾选' }),
    sensitive: z.literal(true, { error: CONSENT_MISSING }),
  },
  { error: CONSENT_MISSING },
);
export const withConsentSchema = z.object({ consent: memberConsentSchema });

const uploadId = z.uuid({ error: '请上传文件' });
export const licencesSchema = z.object({
  businessLicenceUploadId: uploadId,
  idFrontUploadId: uploadId,
  idBackUploadId: uploadId,
});

export const uploadKindSchema = z.object({
  kind: z.enum(['BUSINESS_LICENCE', 'ID_FRONT', 'ID_BACK'], { error: '证照类型须为营业执照、身份证人像面或国徽面' }),
});

export const phoneChoiceSchema = z.discriminatedUnion(
  'source',
  [z.object({ source: z.literal('ON_FILE') }), z.object({ source: z.literal('AUTHORISED'), phone: mobile })],
  { error: '请选择绑定法人/预留手机号或填写授权手机号' },
);

export const codeSchema = z.object({ code: smsCode });
