import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Card, Popconfirm, Table, Tag } from 'antd';
import { api } from '../api';
import { formatTime } from '../labels';

interface ProviderApplication {
  id: string;
  appNo: string;
  name: string;
  fundMode: string;
  environment: 'TEST' | 'PRODUCTION';
  accounts: { username: string; phone: string | null; mustChangePassword: boolean; locked: boolean; passwordChangedAt: string | null }[];
}

/**
 * The login accounts of the provider's applications, with 重置密码 (a new
 * initial password by SMS). Two entry points show it, as in the manual:
 * 账户管理, and 产品管理 → 用户管理.
 */
export function ProviderAccountsPage(props: { title?: string }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: ['provider-apps'], queryFn: () => api<{ items: ProviderApplication[] }>('GET', '/api/provider/applications') });
  const reset = useMutation({
    mutationFn: (id: string) => api<{ appNo: string; sentTo: string }>('POST', `/api/provider/applications/${id}/password-reset`),
    onSuccess: (r) => {
      message.success(`已重置 ${r.appNo} 的登录密码，初始密码已短信发送至 ${r.sentTo}`);
      void queryClient.invalidateQueries({ queryKey: ['provider-apps'] });
    },
    onError: (e: Error) => message.error(e.message),
  });
  return (
    <Card title={props.title ?? '账户管理'}>
      <Table<ProviderApplication>
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        columns={[
          { title: '应用编号', dataIndex: 'appNo' },
          { title: '应用名称', dataIndex: 'name' },
          { title: '环境', render: (_, a) => (a.environment === 'TEST' ? <Tag color="magenta">测试环境</Tag> : <Tag>生产环境</Tag>) },
          { title: '登录账号', render: (_, a) => a.accounts.map((u) => u.username).join('、') || '-' },
          { title: '法人手机号', render: (_, a) => a.accounts[0]?.phone ?? '未登记' },
          {
            title: '状态',
            render: (_, a) =>
              a.accounts.map((u) =>
                u.locked ? (
                  <Tag key={u.username} color="red">
                    已锁定
                  </Tag>
                ) : u.mustChangePassword ? (
                  <Tag key={u.username} color="orange">
                    待修改初始密码
                  </Tag>
                ) : (
                  <Tag key={u.username} color="green">
                    正常
                  </Tag>
                ),
              ),
          },
          { title: '密码修改时间', render: (_, a) => formatTime(a.accounts[0]?.passwordChangedAt ?? null) },
          {
            title: '操作',
            render: (_, a) => (
              <Popconfirm title="重置后原密码立即失效，新的初始密码将短信发送给法人手机。确认重置？" onConfirm={() => reset.mutate(a.id)}>
                <a>重置密码</a>
              </Popconfirm>
            ),
          },
        ]}
      />
    </Card>
  );
}
