import { Card, DatePicker, Input, Select, Space, Table, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useParams } from 'react-router-dom';
import { usePagedList } from '../components/usePagedList';
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
  const { category } = useParams();
  // One list per category: switching menus starts from a fresh filter.
  const c = category === 'payment-account' ? 'PAYMENT_ACCOUNT' : 'MEMBER';
  return <AgreementList key={c} category={c} />;
}

function AgreementList({ category }: { category: 'MEMBER' | 'PAYMENT_ACCOUNT' }) {
  const title = category === 'MEMBER' ? '会员协议管理' : '会员支付账户协议管理';
  const { setFilter, tableProps, exportHref } = usePagedList<
    AgreementRow,
    { category: string; keyword?: string; online?: string; signedFrom?: string; signedTo?: string }
  >(`agreements-${category}`, '/api/agreements', { category });
  return (
    <Card title={title} extra={<a href={exportHref()}>导出（单次最多10000条）</a>}>
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search placeholder="会员编号 / 名称" allowClear style={{ width: 220 }} onSearch={(v) => setFilter({ keyword: v.trim() || undefined })} />
        <Select
          placeholder="签约方式"
          allowClear
          style={{ width: 120 }}
          options={[
            { value: 'true', label: '线上' },
            { value: 'false', label: '线下' },
          ]}
          onChange={(v) => setFilter({ online: v })}
        />
        <DatePicker.RangePicker
          placeholder={['签约开始日期', '签约结束日期']}
          onChange={(r: null | (Dayjs | null)[]) => setFilter({ signedFrom: r?.[0]?.format('YYYY-MM-DD'), signedTo: r?.[1]?.format('YYYY-MM-DD') })}
        />
      </Space>
      <Table<AgreementRow>
        {...tableProps}
        columns={[
          { title: '会员编号', dataIndex: 'bizUserId' },
          { title: '会员名称', dataIndex: 'memberName' },
          { title: '会员类型', dataIndex: 'memberType', render: (t: string) => (t === 'ENTERPRISE' ? '企业会员' : '个人会员') },
          { title: '协议名称', dataIndex: 'title' },
          { title: '版本', dataIndex: 'version' },
          { title: '签约方式', dataIndex: 'online', render: (o: boolean) => (o ? '线上' : '线下') },
          { title: '签约手机', dataIndex: 'signedPhone' },
          { title: '签约时间', dataIndex: 'signedAt', render: formatTime },
          {
            title: '状态',
            dataIndex: 'status',
            render: (s: string) => <Tag color={s === 'VALID' ? 'success' : 'default'}>{s === 'VALID' ? '有效' : '已失效'}</Tag>,
          },
          {
            title: '操作',
            render: (_, r) => (r.online ? <a href={`/api/agreements/${r.id}/pdf`}>下载协议</a> : <span title="线下签约的协议不提供下载">-</span>),
          },
        ]}
      />
    </Card>
  );
}
