import { z } from 'zod';
import { paginationSchema } from '../pagination';
import { companySchema, legalRepresentativeSchema, realNameSchema } from '../member-onboarding/schemas';

export const memberTypeSchema = z.enum(['INDIVIDUAL', 'ENTERPRISE'], { error: '会员类型须为个人会员或企业会员' });

/** 新增会员: the basic information the platform enters before handing the link out. */
const bizUserId = z
  .string({ error: '请输入会员编号' })
  .trim()
  .min(1, '请输入会员编号')
  .max(64, '会员编号不能超过64位')
  .regex(/^[A-Za-z0-9_-]+$/, '会员编号只能包含字母、数字、下划线和短横线');

export const addMemberSchema = z.object({
  type: memberTypeSchema,
  bizUserId,
  name: z.string({ error: '请输入会员名称' }).trim().min(1, '请输入会员名称').max(100, '会员名称不能超过100个字符'),
  mode: z.literal('SELF_SERVICE', { error: '开户方式须为自主开户' }).default('SELF_SERVICE'),
});
export type AddMemberInput = z.infer<typeof addMemberSchema>;

/** 新增会员 → 平台代开户: everything the member would have entered, entered by the platform. */
export const proxyMemberSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('INDIVIDUAL'), bizUserId, realName: realNameSchema }),
    z.object({
      type: z.literal('ENTERPRISE'),
      bizUserId,
      company: companySchema,
      legalRepresentative: legalRepresentativeSchema,
    }),
  ],
  { error: '会员类型须为个人会员或企业会员' },
);
export type ProxyMemberInput = z.infer<typeof proxyMemberSchema>;

export const listMembersSchema = z
  .object({
    type: memberTypeSchema.optional(),
    status: z.enum(['PENDING', 'NORMAL', 'EXPIRED'], { error: '会员状态不正确' }).optional(),
    keyword: z.string().trim().max(100, '关键字过长').optional(),
  })
  .extend(paginationSchema.shape);
export type ListMembersInput = z.infer<typeof listMembersSchema>;

export const memberIdSchema = z.object({ id: z.uuid({ error: '会员ID格式不正确' }) });
export const memberPhotoSchema = memberIdSchema.extend({ photoId: z.uuid({ error: '证照ID格式不正确' }) });

/** 提现设置: the daily time (Shanghai, HH:mm) and the member's verified card the money goes to. */
export const autoWithdrawalSchema = z.object({
  cardId: z.uuid({ error: '请选择会员本人已验证的银行卡' }),
  time: z
    .string()
    .trim()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, '提现时间须为 HH:mm（00:00-23:59）'),
});
export type AutoWithdrawalInput = z.infer<typeof autoWithdrawalSchema>;
