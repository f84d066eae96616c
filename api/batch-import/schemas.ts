import { z } from 'zod';
import { paginationSchema } from '../pagination';

export const importKindSchema = z.enum(['INDIVIDUAL', 'ENTERPRISE', 'BANK_CARD'], { error: '导入类型须为个人会员、企业会员或银行卡绑定' });

export const windowRequestSchema = z.object({
  reason: z.string({ error: '请填写申请原因' }).trim().min(2, '请填写申请原因').max(500, '申请原因不能超过500个字'),
});

export const uploadSchema = z.object({ kind: importKindSchema });

export const templateSchema = z.object({
  kind: importKindSchema,
  format: z.enum(['csv', 'xlsx'], { error: '模板格式须为 csv 或 xlsx' }).default('csv'),
});

export const taskIdSchema = z.object({ id: z.uuid({ error: '任务ID格式不正确' }) });

/**
 * PIPL: a platform submitting members it collected itself attests it holds their consent to the
 * processing of their (sensitive) personal information, and keeps the records.
 */
export const CONSENT_ATTESTATION_TEXT = '本平台确认已依法告知文件中的会员并取得其个人信息（含敏感个人信息）处理的单独同意，授权记录由本平台留存备查。';
export const consentAttestationSchema = z.object({
  consentAttested: z.literal(true, { error: `请确认：${CONSENT_ATTESTATION_TEXT}` }),
});

export const listTasksSchema = paginationSchema;

export const extendWindowSchema = z.object({
  days: z.number({ error: '请填写延期天数' }).int('延期天数须为整数').min(1, '延期天数至少1天').max(14, '单次最多延期14天'),
  reason: z.string({ error: '请填写原因' }).trim().min(2, '请填写原因').max(200, '原因不能超过200个字'),
});
export const closeWindowSchema = z.object({
  reason: z.string({ error: '请填写原因' }).trim().min(2, '请填写原因').max(200, '原因不能超过200个字'),
});
export const windowIdSchema = z.object({ id: z.uuid({ error: '申请ID格式不正确' }) });
