import { z } from 'zod';
import { FULL_RATIO_BP } from '../../domain/split';
import { calendarDay, paginationSchema } from '../pagination';

/** A share: RATIO in basis points (1–10000, i.e. 0.01%–100%) or FIXED in fen (≥ 1). */
const share = z
  .object({
    method: z.enum(['RATIO', 'FIXED'], { error: '分账方式须为按比例或固定金额' }),
    value: z.number({ error: '请填写比例或金额' }).int('比例以万分之一、金额以分为单位，须为整数').min(1, '比例或金额须大于0'),
  })
  .refine((s) => s.method !== 'RATIO' || s.value <= FULL_RATIO_BP, { message: '比例不能超过100%', path: ['value'] })
  .refine((s) => s.method !== 'FIXED' || s.value <= 100_000_000, { message: '固定金额不能超过100万元', path: ['value'] });

export const splitRuleSchema = z.object({
  name: z.string({ error: '请输入规则名称' }).trim().min(1, '请输入规则名称').max(50, '规则名称不能超过50个字'),
  receiverMemberId: z.uuid({ error: '请选择收款会员' }),
  commission: share.nullable().default(null),
  parties: z
    .array(share.and(z.object({ memberId: z.uuid({ error: '请选择分账方会员' }) })), { error: '请添加分账方' })
    .min(1, '请至少添加一个分账方')
    .max(20, '分账方最多20个'),
});
export type SplitRuleInput = z.infer<typeof splitRuleSchema>;

/** An edit: everything but the receiving member (which may be sent unchanged). */
export const editSplitRuleSchema = splitRuleSchema.extend({ receiverMemberId: z.uuid({ error: '收款会员ID格式不正确' }).optional() });
export type EditSplitRuleInput = z.infer<typeof editSplitRuleSchema>;

export const statusChangeSchema = z.object({
  enabled: z.boolean({ error: '请选择启用或停用' }),
  reason: z.string({ error: '请填写变更原因' }).trim().min(2, '请填写变更原因').max(200, '变更原因不能超过200个字'),
});

export const ruleIdSchema = z.object({ id: z.uuid({ error: '规则ID格式不正确' }) });

export const listSplitRulesSchema = z
  .object({
    keyword: z.string().trim().max(100, '关键字过长').optional(),
    state: z.enum(['PENDING_SIGNATURE', 'EFFECTIVE', 'DISABLED'], { error: '规则状态不正确' }).optional(),
  })
  .extend(paginationSchema.shape);
export type ListSplitRulesInput = z.infer<typeof listSplitRulesSchema>;

const day = calendarDay;

/** 分账订单明细查询: OUT 我分出去的 (to split parties), IN 分给我的 (the platform's commission). */
export const listSplitOrdersSchema = z
  .object({
    direction: z.enum(['OUT', 'IN'], { error: '方向须为“我分出去的”或“分给我的”' }).default('OUT'),
    keyword: z.string().trim().max(64, '关键字过长').optional(),
    from: day('开始日期'),
    to: day('结束日期'),
  })
  .extend(paginationSchema.shape);
export type ListSplitOrdersInput = z.infer<typeof listSplitOrdersSchema>;

export const splitDetailIdSchema = z.object({ id: z.uuid({ error: '分账明细ID格式不正确' }) });
