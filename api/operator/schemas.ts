import { z } from 'zod';
import { paginationSchema } from '../pagination';

export const listWorkflowsSchema = z.object({
  flow: z.enum(['member-onboarding'], { error: '流程类型不正确' }).optional(),
  stage: z
    .enum(['CONFIRMATION', 'INFORMATION', 'PHONE_BINDING', 'AGREEMENT_SIGNING', 'COMPLETED', 'EXPIRED', 'CANCELLED'], { error: '环节不正确' })
    .optional(),
  keyword: z.string().trim().max(100, '关键字过长').optional(),
}).extend(paginationSchema.shape);
export type ListWorkflowsInput = z.infer<typeof listWorkflowsSchema>;

export const workflowIdSchema = z.object({ workflowId: z.string().min(1).max(300) });
export const cancelSchema = z.object({ reason: z.string({ error: '请填写取消原因' }).trim().min(2, '请填写取消原因').max(200, '原因不能超过200字') });
