import { useQuery } from '@tanstack/react-query';
import { Card, DatePicker, Descriptions, Drawer, Input, InputNumber, Select, Space, Table, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../api';
import { usePagedList } from '../components/usePagedList';
import { formatFen, formatTime } from '../labels';

export interface OrderRow {
  id: string;
  orderNo: string;
  bizOrderNo: string;
  typeLabel: string;
  status: string;
  statusLabel: string;
  amountFen: number;
  feeFen: number;
  member: string | null;
  payer: string | null;
  paymentMethod: string;
  channelType: string;
  cardType: string;
  requestSerial: string | null;
  channelSerial: string | null;
  backendSerial: string | null;
  failureReason: string | null;
  finishedAt: string | null;
  createdAt: string;
}
interface OrderDetail extends OrderRow {
  related: OrderRow | null;
  movements: { accountNo: string; accountKind: string; amountFen: number; balanceAfterFen: string }[];
}

const TYPES = [
  ['TOP_UP', '充值'],
  ['CONSUMPTION', '消费'],
  ['GUARANTEED_PAYMENT', '担保消费-担保支付'],
  ['GUARANTEE_CONFIRMATION', '担保消费-担保确认'],
  ['WITHDRAWAL', '提现'],
  ['REFUND', '退款'],
  ['TRANSFER', '转账'],
  ['SETTLEMENT', '结算'],
];
const STATUS_COLOR: Record<string, string> = { CREATED: 'default', SUCCESS: 'success', PROCESSING: 'processing', FAILED: 'error', CLOSED: 'warning' };

export function rangePicker(onChange: (from?: string, to?: string) => void, required = true) {
  const monthStart = dayjs().startOf('month');
  return (
    <DatePicker.RangePicker
      allowClear={!required}
      defaultValue={required ? [monthStart, dayjs()] : undefined}
      disabledDate={(d) => d.isAfter(dayjs(), 'day')}
      onChange={(r: null | (Dayjs | null)[]) => onChange(r?.[0]?.format('YYYY-MM-DD'), r?.[1]?.format('YYYY-MM-DD'))}
    />
  );
}

/** 订单查询: 订单生成时间 required (default this month, ≤ 90 days), one 交易查询 box, filters, detail. */
export function OrdersPage() {
  const { setFilter, tableProps, exportHref } = usePagedList<OrderRow, Record<string, string | undefined>>('orders', '/api/orders', {});
  const [detailId, setDetailId] = useState<string | null>(null);
  const detail = useQuery({ queryKey: ['order', detailId], enabled: !!detailId, queryFn: () => api<OrderDetail>('GET', `/api/orders/${detailId}`) });
  const d = detail.data;
  return (
    <Card title="订单查询" extra={<a href={exportHref()}>导出（单次最多10000条）</a>}>
      <Space wrap style={{ marginBottom: 16 }}>
        <span>订单生成时间</span>
        {rangePicker((from, to) => setFilter({ from, to }))}
        <Input.Search
          placeholder="云商通订单号 / 商户订单号 / 请求渠道流水号 / 渠道流水号 / 后端渠道流水号"
          allowClear
          style={{ width: 420 }}
          onSearch={(v) => setFilter({ q: v.trim() || undefined })}
        />
        <Select
          placeholder="订单类型"
          allowClear
          style={{ width: 180 }}
          options={TYPES.map(([value, label]) => ({ value, label }))}
          onChange={(v) => setFilter({ type: v })}
        />
        <Select
          placeholder="订单状态"
          allowClear
          style={{ width: 120 }}
          options={[
            { value: 'CREATED', label: '已创建' },
            { value: 'PROCESSING', label: '处理中' },
            { value: 'SUCCESS', label: '交易成功' },
            { value: 'FAILED', label: '交易失败' },
            { value: 'CLOSED', label: '已关闭' },
          ]}
          onChange={(v) => setFilter({ status: v })}
        />
        <Input.Search placeholder="会员编号" allowClear style={{ width: 160 }} onSearch={(v) => setFilter({ bizUserId: v.trim() || undefined })} />
        <InputNumber placeholder="最小金额(元)" min={0} onChange={(v) => setFilter({ minYuan: v === null ? undefined : String(v) })} />
        <InputNumber placeholder="最大金额(元)" min={0} onChange={(v) => setFilter({ maxYuan: v === null ? undefined : String(v) })} />
      </Space>
      <Table<OrderRow>
        {...tableProps}
        columns={[
          { title: '云商通订单号', dataIndex: 'orderNo' },
          { title: '商户订单号', dataIndex: 'bizOrderNo' },
          { title: '订单类型', dataIndex: 'typeLabel' },
          { title: '会员', dataIndex: 'member' },
          { title: '金额', dataIndex: 'amountFen', render: formatFen },
          { title: '支付方式', dataIndex: 'paymentMethod' },
          { title: '状态', render: (_, o) => <Tag color={STATUS_COLOR[o.status]}>{o.statusLabel}</Tag> },
          { title: '订单生成时间', dataIndex: 'createdAt', render: formatTime },
          { title: '操作', render: (_, o) => <a onClick={() => setDetailId(o.id)}>详情</a> },
        ]}
      />
      <Drawer open={!!detailId} width={640} title="订单详情" onClose={() => setDetailId(null)}>
        {d && (
          <>
            <Descriptions bordered size="small" column={1}>
              <Descriptions.Item label="云商通订单号">{d.orderNo}</Descriptions.Item>
              <Descriptions.Item label="商户订单号">{d.bizOrderNo}</Descriptions.Item>
              <Descriptions.Item label="订单类型">{d.typeLabel}</Descriptions.Item>
              <Descriptions.Item label="状态">{d.failureReason ? `${d.statusLabel}（${d.failureReason}）` : d.statusLabel}</Descriptions.Item>
              <Descriptions.Item label="金额 / 手续费">{`${formatFen(d.amountFen)} / ${formatFen(d.feeFen)}`}</Descriptions.Item>
              <Descriptions.Item label="会员">{d.member}</Descriptions.Item>
              <Descriptions.Item label="付款方">{d.payer ?? '-'}</Descriptions.Item>
              <Descriptions.Item label="支付方式 / 渠道 / 卡类别">{`${d.paymentMethod} / ${d.channelType} / ${d.cardType}`}</Descriptions.Item>
              <Descriptions.Item label="请求渠道流水号">{d.requestSerial ?? '-'}</Descriptions.Item>
              <Descriptions.Item label="渠道流水号">{d.channelSerial ?? '-'}</Descriptions.Item>
              <Descriptions.Item label="后端渠道流水号">{d.backendSerial ?? '-'}</Descriptions.Item>
              <Descriptions.Item label="关联订单">{d.related ? `${d.related.typeLabel} ${d.related.orderNo}` : '-'}</Descriptions.Item>
              <Descriptions.Item label="订单生成时间">{formatTime(d.createdAt)}</Descriptions.Item>
              <Descriptions.Item label="完成时间">{d.finishedAt ? formatTime(d.finishedAt) : '-'}</Descriptions.Item>
            </Descriptions>
            <Table
              style={{ marginTop: 16 }}
              size="small"
              rowKey={(m) => `${m.accountNo}${m.amountFen}`}
              pagination={false}
              title={() => '记账分录'}
              dataSource={d.movements}
              columns={[
                { title: '账户', dataIndex: 'accountNo' },
                { title: '账户类型', dataIndex: 'accountKind' },
                { title: '发生额', dataIndex: 'amountFen', render: formatFen },
              ]}
            />
          </>
        )}
      </Drawer>
    </Card>
  );
}

/** 担保消费关联查询: each 担保确认 with its 担保支付. */
export function GuaranteeLinksPage() {
  const { setFilter, tableProps } = usePagedList<{ id: string; confirmation: OrderRow; payment: OrderRow | null }, Record<string, string | undefined>>(
    'guarantee-links',
    '/api/orders/guarantee-links',
    {},
  );
  return (
    <Card title="担保消费关联查询">
      <Space wrap style={{ marginBottom: 16 }}>
        <span>订单生成时间</span>
        {rangePicker((from, to) => setFilter({ from, to }))}
        <Input.Search
          placeholder="担保确认或担保支付的订单号 / 流水号"
          allowClear
          style={{ width: 320 }}
          onSearch={(v) => setFilter({ q: v.trim() || undefined })}
        />
      </Space>
      <Table
        {...tableProps}
        columns={[
          { title: '担保确认订单号', render: (_, r) => r.confirmation.orderNo },
          { title: '确认时间', render: (_, r) => formatTime(r.confirmation.createdAt) },
          { title: '收款会员', render: (_, r) => r.confirmation.member },
          { title: '金额', render: (_, r) => formatFen(r.confirmation.amountFen) },
          { title: '担保支付订单号', render: (_, r) => r.payment?.orderNo ?? '-' },
          { title: '支付时间', render: (_, r) => formatTime(r.payment?.createdAt) },
          { title: '支付方式', render: (_, r) => r.payment?.paymentMethod ?? '-' },
        ]}
      />
    </Card>
  );
}
