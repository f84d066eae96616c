import { z } from 'zod';

export const applicationIdSchema = z.object({ id: z.uuid({ error: '应用ID格式不正确' }) });
