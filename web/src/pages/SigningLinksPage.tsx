import { useQuery } from '@tanstack/react-query';
import { Card, Input, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { api } from '../api';
import { LINK_STATUS, formatTime } from '../labels';

interface LinkRow {
  id: string;
  bizUserId: string;
  memberName: string;
  phone: string;
  status: string;
  sentAt: string | null;
  expiresAt: string;
  openedAt: string | null;
  signedAt: string | null;
  revokedReason: string | null;
}

/** 会员签约链接查询 (账后结算 only): every link sent from 收单商户管理. */
export function SigningLinksPage() {
  const [filter, setFilter] = useState<{ keyword?: string; status?: string }>({});
  const [page, setPage] = useState(1);
  const query = new URLSearchParams(Object.entries({ ...filter, page: String(page), pageSize: '20' }).filter(([, v]) => v) as [string, string][]);
  const list = useQuery({
    queryKey: ['signing-links', filter, page],
    queryFn: () => api<{ items: LinkRow[]; total: number }>('GET', `/api/acquiring/signing-links?${query}`),
  });
  return (
    <Card title="会员签约链接查询">
      <Space style={{ marginBottom: 16 }}>
        <Input.Search placeholder="会员编号 / 名称" allowClear style={{ width: 220 }} onSearch={(v) => (setFilter({ ...filter, keyword: v.trim() || undefined }), setPage(1))} />
        <Select
          placeholder="链接状态"
          allowClear
          style={{ width: 140 }}
          options={Object.entries(LINK_STATUS).map(([value, s]) => ({ value, label: s.text }))}
          onChange={(v) => (setFilter({ ...filter, status: v }), setPage(1))}
        />
      </Space>
      <Table<LinkRow>
        rowKey="id"
        scroll={{ x: 'max-content' }}
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage }}
        columns={[
          { title: '会员编号', dataIndex: 'bizUserId' },
          { title: '会员名称', dataIndex: 'memberName' },
          { title: '接收手机', dataIndex: 'phone' },
          { title: '协议', render: () => '客户委托结算授权函' },
          { title: '发送时间', dataIndex: 'sentAt', render: formatTime },
          { title: '有效期至', dataIndex: 'expiresAt', render: formatTime },
          {
            title: '状态',
            render: (_, r) => (
              <Tag color={LINK_STATUS[r.status]?.color} title={r.revokedReason ?? undefined}>
                {LINK_STATUS[r.status]?.text ?? r.status}
              </Tag>
            ),
          },
          { title: '签约时间', dataIndex: 'signedAt', render: formatTime },
        ]}
      />
    </Card>
  );
}
