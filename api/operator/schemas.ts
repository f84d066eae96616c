import { z } from 'zod';
import { FLOW_TYPES, WAITING_FOR } from '../../domain/flows';
import { paginationSchema } from '../pagination';

const yes = z.enum(['true', 'false'], { error: '取值须为 true 或 false' }).transform((v) => v === 'true');

export const listWorkflowsSchema = z
  .object({
    flow: z.enum(FLOW_TYPES, { error: '流程类型不正确' }).optional(),
    stage: z
      .string()
      .trim()
      .regex(/^[A-Z_]{2,40}$/, '环节不正确')
      .optional(),
    waitingFor: z.enum(WAITING_FOR, { error: '等待方不正确' }).optional(),
    /** 应用编号 */
    application: z.string().trim().min(1).max(40, '应用编号过长').optional(),
    /** Open flows whose stage has not changed for more than this many days. */
    stuckDays: z.coerce.number({ error: '停滞天数须为数字' }).int('停滞天数须为整数').min(1, '停滞天数须为1到365').max(365, '停滞天数须为1到365').optional(),
    failing: yes.optional(),
    closed: yes.optional(),
    /** Member name or number, masked phone (or its last digits), application or workflow id. */
    q: z.string().trim().min(1).max(100, '关键字过长').optional(),
  })
  .extend(paginationSchema.shape);
export type ListWorkflowsInput = z.infer<typeof listWorkflowsSchema>;

export const workflowIdSchema = z.object({ workflowId: z.string().min(1).max(300) });

const reason = z.string({ error: '请填写操作原因' }).trim().min(2, '请填写操作原因（至少2个字）').max(200, '原因不能超过200字');
export const operatorReasonSchema = z.object({ reason });
export const extensionSchema = z.object({
  reason,
  days: z.number({ error: '请填写延期天数' }).int('延期天数须为整数').min(1, '延期天数须为1到30天').max(30, '延期天数须为1到30天'),
});

export const providerIdSchema = z.object({ id: z.uuid({ error: '服务商ID格式不正确' }) });
export const providerOpenApiSchema = z.object({ enabled: z.boolean({ error: '请选择开通或关闭' }) });
