import { useQuery } from '@tanstack/react-query';
import { Card, DatePicker, Descriptions, Input, Modal, Space, Table, Tabs, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../api';
import { usePagedList } from '../components/usePagedList';
import { formatFen, formatTime } from '../labels';

interface SplitRow {
  id: string;
  orderNo: string;
  bizOrderNo: string;
  orderAmountFen: number;
  from: { displayName: string } | null;
  to: { displayName: string } | null;
  kind: string;
  amountFen: number;
  status: string;
  createdAt: string;
}
interface SplitDetailView {
  kind: string;
  amountFen: number;
  status: string;
  rule: { ruleNo: string; name: string } | null;
  order: { orderNo: string; bizOrderNo: string; amountFen: number; receiver: string | null; payerName: string | null; createdAt: string };
  splits: { id: string; kind: string; to: string | null; amountFen: number; status: string }[];
}

/** 分账订单明细查询: "我分出去的" (default) / "分给我的". */
export function SplitOrdersPage() {
  const { filter, setFilter, tableProps } = usePagedList<SplitRow, { direction: 'OUT' | 'IN'; keyword?: string; from?: string; to?: string }>(
    'split-orders',
    '/api/split/orders',
    { direction: 'OUT' },
  );
  const [detailId, setDetailId] = useState<string | null>(null);
  const detail = useQuery({
    queryKey: ['split-order', detailId],
    enabled: !!detailId,
    queryFn: () => api<SplitDetailView>('GET', `/api/split/orders/${detailId}`),
  });
  const d = detail.data;
  return (
    <Card title="分账订单明细查询">
      <Tabs
        activeKey={filter.direction}
        onChange={(k) => setFilter({ direction: k as 'OUT' | 'IN' })}
        items={[
          { key: 'OUT', label: '我分出去的' },
          { key: 'IN', label: '分给我的' },
        ]}
      />
      <Space style={{ marginBottom: 16 }}>
        <Input.Search
          placeholder="云商通订单号 / 商户订单号"
          allowClear
          style={{ width: 260 }}
          onSearch={(v) => setFilter({ keyword: v.trim() || undefined })}
        />
        <DatePicker.RangePicker
          onChange={(r: null | (Dayjs | null)[]) => setFilter({ from: r?.[0]?.format('YYYY-MM-DD'), to: r?.[1]?.format('YYYY-MM-DD') })}
        />
      </Space>
      <Table<SplitRow>
        {...tableProps}
        columns={[
          { title: '云商通订单号', dataIndex: 'orderNo' },
          { title: '商户订单号', dataIndex: 'bizOrderNo' },
          { title: '订单金额', dataIndex: 'orderAmountFen', render: formatFen },
          { title: '分账出款方', render: (_, r) => r.from?.displayName ?? '-' },
          { title: '分账收款方', render: (_, r) => r.to?.displayName ?? '-' },
          { title: '分账金额', dataIndex: 'amountFen', render: formatFen },
          {
            title: '状态',
            dataIndex: 'status',
            render: (s: string) => <Tag color={s === 'SUCCESS' ? 'success' : 'processing'}>{s === 'SUCCESS' ? '成功' : s}</Tag>,
          },
          { title: '分账时间', dataIndex: 'createdAt', render: formatTime },
          { title: '操作', render: (_, r) => <a onClick={() => setDetailId(r.id)}>详情</a> },
        ]}
      />
      <Modal open={!!detailId} title="分账明细详情" footer={null} width={640} onCancel={() => setDetailId(null)}>
        {d && (
          <>
            <Descriptions bordered size="small" column={1}>
              <Descriptions.Item label="云商通订单号">{d.order.orderNo}</Descriptions.Item>
              <Descriptions.Item label="商户订单号">{d.order.bizOrderNo}</Descriptions.Item>
              <Descriptions.Item label="订单金额">{formatFen(d.order.amountFen)}</Descriptions.Item>
              <Descriptions.Item label="收款会员">{d.order.receiver}</Descriptions.Item>
              <Descriptions.Item label="分账规则">{d.rule ? `${d.rule.name}（${d.rule.ruleNo}）` : '-'}</Descriptions.Item>
              <Descriptions.Item label="下单时间">{formatTime(d.order.createdAt)}</Descriptions.Item>
            </Descriptions>
            <Table
              style={{ marginTop: 16 }}
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={d.splits}
              columns={[
                { title: '类型', dataIndex: 'kind', render: (k: string) => (k === 'COMMISSION' ? '平台抽佣' : '分账') },
                { title: '收款方', dataIndex: 'to' },
                { title: '金额', dataIndex: 'amountFen', render: formatFen },
              ]}
            />
          </>
        )}
      </Modal>
    </Card>
  );
}
