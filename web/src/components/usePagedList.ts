import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api';

/**
 * A paged list page: its filter, its page, the query, and the props every
 * list table shares. Changing the filter goes back to page 1.
 */
export function usePagedList<Row, F extends Record<string, string | undefined>>(
  key: string,
  path: string,
  initial: F,
  opts: { pageSize?: number; refreshWhile?: (rows: Row[]) => boolean; enabled?: boolean } = {},
) {
  const pageSize = opts.pageSize ?? 20;
  const [filter, setFilterState] = useState<F>(initial);
  const [page, setPage] = useState(1);
  const params = new URLSearchParams(
    Object.entries({ ...filter, page: String(page), pageSize: String(pageSize) }).filter((e): e is [string, string] => !!e[1]),
  );
  const list = useQuery({
    queryKey: [key, filter, page],
    enabled: opts.enabled ?? true,
    queryFn: () => api<{ items: Row[]; total: number }>('GET', `${path}?${params}`),
    // Lists of running things refresh themselves while something runs.
    refetchInterval: (q) => (opts.refreshWhile && q.state.data && opts.refreshWhile(q.state.data.items) ? 1500 : false),
  });
  const setFilter = (patch: Partial<F>) => {
    setFilterState((f) => ({ ...f, ...patch }));
    setPage(1);
  };
  const tableProps = {
    rowKey: 'id',
    scroll: { x: 'max-content' as const },
    loading: list.isLoading,
    dataSource: list.data?.items ?? [],
    pagination: { current: page, pageSize, total: list.data?.total ?? 0, onChange: setPage },
  };
  /** 导出 of what the filter selects (the API caps it at 10,000 rows and audits it). */
  const exportHref = (exportPath = `${path}/export`) =>
    `${exportPath}?${new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => !!e[1]))}`;
  return { filter, setFilter, list, tableProps, exportHref };
}
