import { Card, Descriptions, Drawer, Input, Modal, Select, Space, Table, Tabs } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api';
import { usePagedList } from '../components/usePagedList';
import { formatFen, formatTime } from '../labels';
import { rangePicker } from './OrdersPage';

interface AccountRow {
  id: string;
  accountNo: string;
  kindLabel: string;
  balance: string;
  member: { displayName: string; bizUserId: string } | null;
}
interface MovementRow {
  id: string;
  bookedAt: string;
  orderNo: string;
  bizOrderNo: string;
  typeLabel: string;
  direction: string;
  amountFen: number;
  balanceAfterFen: string;
}

/** 会员账户查询, and from an account its 账户明细 (with 导出) and 期末余额. */
export function AccountsPage() {
  const { setFilter, tableProps } = usePagedList<AccountRow, Record<string, string | undefined>>('accounts', '/api/accounts', {});
  const [account, setAccount] = useState<AccountRow | null>(null);
  return (
    <Card title="会员账户查询">
      <Space style={{ marginBottom: 16 }}>
        <Input.Search placeholder="会员编号" allowClear style={{ width: 200 }} onSearch={(v) => setFilter({ bizUserId: v.trim() || undefined })} />
        <Select
          placeholder="账户类型"
          allowClear
          style={{ width: 140 }}
          options={[
            { value: 'BOOKKEEPING', label: '簿记账户' },
            { value: 'PAYMENT', label: '支付账户' },
            { value: 'PENDING_SETTLEMENT', label: '待结算户' },
          ]}
          onChange={(v) => setFilter({ kind: v })}
        />
      </Space>
      <Table<AccountRow>
        {...tableProps}
        columns={[
          { title: '账户号', dataIndex: 'accountNo' },
          { title: '账户类型', dataIndex: 'kindLabel' },
          { title: '会员', render: (_, a) => (a.member ? `${a.member.displayName}（${a.member.bizUserId}）` : '-') },
          { title: '余额(元)', dataIndex: 'balance' },
          { title: '操作', render: (_, a) => <a onClick={() => setAccount(a)}>账户明细 / 期末余额</a> },
        ]}
      />
      <Drawer
        open={!!account}
        width={960}
        title={account ? `${account.accountNo}（${account.kindLabel}）` : ''}
        onClose={() => setAccount(null)}
        destroyOnHidden
      >
        {account && <AccountDetail account={account} />}
      </Drawer>
    </Card>
  );
}

/** An account's 账户明细 (with 导出) and, for the platform, 期末余额; the member portal shows the same under its own path. */
interface MovementOrder {
  orderNo: string;
  bizOrderNo: string;
  typeLabel: string;
  statusLabel: string;
  amountFen: number;
  paymentMethod: string;
  createdAt: string;
  finishedAt: string | null;
  related: { orderNo: string; bizOrderNo: string } | null;
  movements: { bookedAt: string; amountFen: number; balanceAfterFen: string }[];
}

/** 查看详情: the order a movement belongs to, and what it booked on this account. */
function MovementOrderModal({ url, onClose }: { url: string | null; onClose: () => void }) {
  const order = useQuery({ queryKey: ['movement-order', url], queryFn: () => api<MovementOrder>('GET', url!), enabled: !!url });
  const o = order.data;
  return (
    <Modal open={!!url} title="订单详情" footer={null} onCancel={onClose} width={640}>
      {o && (
        <Descriptions bordered size="small" column={1}>
          <Descriptions.Item label="云商通订单号">{o.orderNo}</Descriptions.Item>
          <Descriptions.Item label="商户订单号">{o.bizOrderNo}</Descriptions.Item>
          <Descriptions.Item label="订单类型">{o.typeLabel}</Descriptions.Item>
          <Descriptions.Item label="状态">{o.statusLabel}</Descriptions.Item>
          <Descriptions.Item label="订单金额">{formatFen(o.amountFen)}</Descriptions.Item>
          <Descriptions.Item label="支付方式">{o.paymentMethod}</Descriptions.Item>
          <Descriptions.Item label="关联订单">{o.related ? `${o.related.orderNo}（${o.related.bizOrderNo}）` : '-'}</Descriptions.Item>
          <Descriptions.Item label="订单生成时间">{formatTime(o.createdAt)}</Descriptions.Item>
          <Descriptions.Item label="完成时间">{o.finishedAt ? formatTime(o.finishedAt) : '-'}</Descriptions.Item>
          <Descriptions.Item label="本账户动账">
            {o.movements.map((m) => `${formatTime(m.bookedAt)} ${formatFen(m.amountFen)}（余额 ${formatFen(Number(m.balanceAfterFen))}）`).join('；')}
          </Descriptions.Item>
        </Descriptions>
      )}
    </Modal>
  );
}

export function AccountDetail({ account, base = '/api/accounts', balancesTab = true }: { account: { id: string }; base?: string; balancesTab?: boolean }) {
  const [orderUrl, setOrderUrl] = useState<string | null>(null);
  const movements = usePagedList<MovementRow, Record<string, string | undefined>>(`movements-${account.id}`, `${base}/${account.id}/movements`, {});
  const balances = usePagedList<{ day: string; balance: string }, Record<string, string | undefined>>(
    `balances-${account.id}`,
    `/api/accounts/${account.id}/daily-balances`,
    {},
    { enabled: balancesTab },
  );
  const f = movements.filter;
  const exportUrl = `${base}/${account.id}/movements/export?${new URLSearchParams(Object.entries({ from: f.from, to: f.to }).filter((e): e is [string, string] => !!e[1]))}`;
  return (
    <Tabs
      items={[
        {
          key: 'movements',
          label: '账户明细',
          children: (
            <>
              <Space style={{ marginBottom: 12 }}>
                {rangePicker((from, to) => movements.setFilter({ from, to }))}
                <a href={exportUrl}>导出（单次最多10000条）</a>
              </Space>
              <Table<MovementRow>
                {...movements.tableProps}
                size="small"
                columns={[
                  { title: '交易时间', dataIndex: 'bookedAt', render: formatTime },
                  { title: '云商通订单号', dataIndex: 'orderNo' },
                  { title: '订单类型', dataIndex: 'typeLabel' },
                  { title: '收支', dataIndex: 'direction' },
                  { title: '发生额', dataIndex: 'amountFen', render: formatFen },
                  { title: '余额', dataIndex: 'balanceAfterFen', render: (v: string) => formatFen(Number(v)) },
                  { title: '操作', render: (_, m) => <a onClick={() => setOrderUrl(`${base}/${account.id}/movements/${m.id}/order`)}>查看详情</a> },
                ]}
              />
              <MovementOrderModal url={orderUrl} onClose={() => setOrderUrl(null)} />
            </>
          ),
        },
        ...(!balancesTab
          ? []
          : [
              {
                key: 'balances',
                label: '期末余额',
                children: (
                  <>
                    <div style={{ marginBottom: 12 }}>{rangePicker((from, to) => balances.setFilter({ from, to }))}</div>
                    <Table
                      {...balances.tableProps}
                      rowKey="day"
                      size="small"
                      columns={[
                        { title: '日期', dataIndex: 'day' },
                        { title: '日终余额(元)', dataIndex: 'balance' },
                      ]}
                    />
                  </>
                ),
              },
            ]),
      ]}
    />
  );
}
