import { useQuery } from '@tanstack/react-query';
import { Card, DatePicker, Input, Select, Space, Table, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { api } from '../api';
import { formatTime } from '../labels';

interface AgreementRow {
  id: string;
  bizUserId: string;
  memberName: string;
  memberType: string;
  title: string;
  version: string;
  online: boolean;
  signedPhone: string;
  signedAt: string;
  status: string;
}

/** 会员协议管理 / 会员支付账户协议管理: signed agreements, PDF download of online ones. */
export function AgreementsPage() {
  const { category: categoryParam } = useParams();
  const category = categoryParam === 'payment-account' ? 'PAYMENT_ACCOUNT' : 'MEMBER';
  const title = category === 'MEMBER' ? '会员协议管理' : '会员支付账户协议管理';
  const [filter, setFilter] = useState<{ keyword?: string; online?: string; signedFrom?: string; signedTo?: string }>({});
  const [page, setPage] = useState(1);
  const query = new URLSearchParams(
    Object.entries({ ...filter, category, page: String(page), pageSize: '20' }).filter(([, v]) => v) as [string, string][],
  );
  const list = useQuery({
    queryKey: ['agreements', category, filter, page],
    queryFn: () => api<{ items: AgreementRow[]; total: number }>('GET', `/api/agreements?${query}`),
  });
  return (
    <Card title={title}>
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search placeholder="会员编号 / 名称" allowClear style={{ width: 220 }} onSearch={(v) => (setFilter({ ...filter, keyword: v.trim() || undefined }), setPage(1))} />
        <Select
          placeholder="签约方式"
          allowClear
          style={{ width: 120 }}
          options={[{ value: 'true', label: '线上' }, { value: 'false', label: '线下' }]}
          onChange={(v) => (setFilter({ ...filter, online: v }), setPage(1))}
        />
        <DatePicker.RangePicker
          placeholder={['签约开始日期', '签约结束日期']}
          onChange={(r: null | (Dayjs | null)[]) => (
            setFilter({ ...filter, signedFrom: r?.[0]?.format('YYYY-MM-DD'), signedTo: r?.[1]?.format('YYYY-MM-DD') }), setPage(1)
          )}
        />
      </Space>
      <Table<AgreementRow>
        rowKey="id"
        scroll={{ x: 'max-content' }}
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage }}
        columns={[
          { title: '会员编号', dataIndex: 'bizUserId' },
          { title: '会员名称', dataIndex: 'memberName' },
          { title: '会员类型', dataIndex: 'memberType', render: (t: string) => (t === 'ENTERPRISE' ? '企业会员' : '个人会员') },
          { title: '协议名称', dataIndex: 'title' },
          { title: '版本', dataIndex: 'version' },
          { title: '签约方式', dataIndex: 'online', render: (o: boolean) => (o ? '线上' : '线下') },
          { title: '签约手机', dataIndex: 'signedPhone' },
          { title: '签约时间', dataIndex: 'signedAt', render: formatTime },
          { title: '状态', dataIndex: 'status', render: (s: string) => <Tag color={s === 'VALID' ? 'success' : 'default'}>{s === 'VALID' ? '有效' : '已失效'}</Tag> },
          {
            title: '操作',
            render: (_, r) => (r.online ? <a href={`/api/agreements/${r.id}/pdf`}>下载协议</a> : <span title="线下签约的协议不提供下载">-</span>),
          },
        ]}
      />
    </Card>
  );
}
