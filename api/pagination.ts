import { z } from 'zod';

/** Paging of every list endpoint: `?page=1&pageSize=20`, at most 100 a page. */
export const paginationSchema = z.object({
  page: z.coerce.number({ error: '页码须为数字' }).int().min(1, '页码须从1开始').default(1),
  pageSize: z.coerce.number({ error: '每页条数须为数字' }).int().min(1).max(100, '每页最多100条').default(20),
});
export type Pagination = z.infer<typeof paginationSchema>;

export function pageWindow({ page, pageSize }: Pagination): { skip: number; take: number } {
  return { skip: (page - 1) * pageSize, take: pageSize };
}

/** A page of a list: the rows of this page, each turned into what the page shows. */
export function pageOf<R, T = R>({ page, pageSize }: Pagination, total: number, rows: R[], toItem?: (row: R) => T) {
  return { total, page, pageSize, items: toItem ? rows.map(toItem) : (rows as unknown as T[]) };
}

/** A calendar day `YYYY-MM-DD` that exists (no 2026-13-01, no 2026-02-30). */
export function calendarDay(label: string) {
  return z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${label}格式须为 YYYY-MM-DD`)
    .refine((d) => {
      const t = new Date(`${d}T00:00:00Z`);
      return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
    }, `${label}不是有效日期`)
    .optional();
}
