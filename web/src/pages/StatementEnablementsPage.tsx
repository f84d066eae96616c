import { useMutation, useQuery } from '@tanstack/react-query';
import { App, Card, Table, Tag } from 'antd';
import { api } from '../api';
import { formatTime } from '../labels';

interface Row {
  id: string;
  application: { appNo: string; name: string } | null;
  status: string;
  reason: string;
  appliedMonth: string;
  createdAt: string;
  rejectedReason: string | null;
}
const STATUS: Record<string, { text: string; color: string }> = {
  IN_REVIEW: { text: '分公司审核中', color: 'processing' },
  AWAITING_CONFIGURATION: { text: '待配置', color: 'gold' },
  ENABLED: { text: '已开通', color: 'success' },
  REJECTED: { text: '未通过', color: 'error' },
};

/** 月对账单配置 (HQ operations): enable what a branch reviewer approved. */
export function StatementEnablementsPage() {
  const { message } = App.useApp();
  const list = useQuery({ queryKey: ['statement-enablements'], queryFn: () => api<Row[]>('GET', '/api/operator/statement-enablements') });
  const configure = useMutation({
    mutationFn: (id: string) => api('POST', `/api/operator/statement-enablements/${id}/configuration`),
    onSuccess: () => (message.success('已配置，次月1日起生成上月对账单'), void list.refetch()),
    onError: (e: Error) => message.error(e.message),
  });
  return (
    <Card title="月对账单配置">
      <Table<Row>
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data ?? []}
        columns={[
          { title: '应用', render: (_, r) => (r.application ? `${r.application.name}（${r.application.appNo}）` : '-') },
          { title: '申请原因', dataIndex: 'reason' },
          { title: '申请月份', dataIndex: 'appliedMonth' },
          { title: '状态', render: (_, r) => <Tag color={STATUS[r.status]?.color}>{STATUS[r.status]?.text}</Tag> },
          { title: '申请时间', dataIndex: 'createdAt', render: formatTime },
          { title: '操作', render: (_, r) => r.status === 'AWAITING_CONFIGURATION' && <a onClick={() => configure.mutate(r.id)}>确认配置</a> },
        ]}
      />
    </Card>
  );
}
