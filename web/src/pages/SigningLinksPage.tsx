import { Card, Input, Select, Space, Table, Tag } from 'antd';
import { usePagedList } from '../components/usePagedList';
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
  const { setFilter, tableProps, exportHref } = usePagedList<LinkRow, { keyword?: string; status?: string }>(
    'signing-links',
    '/api/acquiring/signing-links',
    {},
  );
  return (
    <Card title="会员签约链接查询" extra={<a href={exportHref()}>导出（单次最多10000条）</a>}>
      <Space style={{ marginBottom: 16 }}>
        <Input.Search placeholder="会员编号 / 名称" allowClear style={{ width: 220 }} onSearch={(v) => setFilter({ keyword: v.trim() || undefined })} />
        <Select
          placeholder="链接状态"
          allowClear
          style={{ width: 140 }}
          options={Object.entries(LINK_STATUS).map(([value, s]) => ({ value, label: s.text }))}
          onChange={(v) => setFilter({ status: v })}
        />
      </Space>
      <Table<LinkRow>
        {...tableProps}
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
