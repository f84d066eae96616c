import { useMutation, useQuery } from '@tanstack/react-query';
import { App, Card, Popconfirm, Table, Tag } from 'antd';
import { api } from '../api';
import { formatTime } from '../labels';

interface Row {
  id: string;
  name: string;
  applications: number;
  publicKeySet: boolean;
  encryptionKeySet: boolean;
  openApiEnabledAt: string | null;
}

/** 服务商对接配置 (HQ operations, seed 003 §5.3.2): open a provider's service-provider mode of the open API. */
export function ProvidersPage() {
  const { message } = App.useApp();
  const list = useQuery({ queryKey: ['operator-providers'], queryFn: () => api<{ items: Row[] }>('GET', '/api/operator/providers') });
  const set = useMutation({
    mutationFn: (v: { id: string; enabled: boolean }) => api('PUT', `/api/operator/providers/${v.id}/open-api`, { enabled: v.enabled }),
    onSuccess: (_r, v) => (message.success(v.enabled ? '已开通服务商身份对接' : '已关闭服务商身份对接'), void list.refetch()),
    onError: (e: Error) => message.error(e.message),
  });
  return (
    <Card title="服务商对接配置">
      <Table<Row>
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        columns={[
          { title: '服务商', dataIndex: 'name' },
          { title: '应用数', dataIndex: 'applications' },
          { title: '服务商公钥', render: (_, r) => (r.publicKeySet ? <Tag color="success">已保存</Tag> : <Tag>未保存</Tag>) },
          { title: '加密秘钥', render: (_, r) => (r.encryptionKeySet ? <Tag color="success">已生成</Tag> : <Tag>未生成</Tag>) },
          {
            title: '服务商身份对接',
            render: (_, r) => (r.openApiEnabledAt ? <Tag color="success">已开通（{formatTime(r.openApiEnabledAt)}）</Tag> : <Tag>未开通</Tag>),
          },
          {
            title: '操作',
            render: (_, r) =>
              r.openApiEnabledAt ? (
                <Popconfirm title="关闭后该服务商签名的请求将被拒绝，确定关闭？" onConfirm={() => set.mutate({ id: r.id, enabled: false })}>
                  <a>关闭</a>
                </Popconfirm>
              ) : r.publicKeySet ? (
                <a onClick={() => set.mutate({ id: r.id, enabled: true })}>开通</a>
              ) : (
                <span style={{ color: '#999' }}>待服务商保存公钥</span>
              ),
          },
        ]}
      />
    </Card>
  );
}
