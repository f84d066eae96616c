import { useQuery } from '@tanstack/react-query';
import { Card, Input, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api';
import { MEMBER_STATUS, formatTime } from '../labels';

interface BankCardRow {
  id: string;
  memberId: string;
  bizUserId: string;
  memberType: 'INDIVIDUAL' | 'ENTERPRISE';
  memberName: string;
  memberStatus: string;
  cardNumber: string;
  bankName: string | null;
  corporate: boolean;
  reservedPhone: string | null;
  verifiedAt: string;
  signed: boolean;
  signedAt: string | null;
}

/** 银行卡查询: the members' bound 对公户 and 对私户, and whether each member has signed. */
export function BankCardsPage() {
  const [kind, setKind] = useState<'' | 'CORPORATE' | 'PERSONAL'>('');
  const [signed, setSigned] = useState<'' | 'true' | 'false'>('');
  const [keyword, setKeyword] = useState('');
  const [page, setPage] = useState(1);
  const list = useQuery({
    queryKey: ['bank-cards', kind, signed, keyword, page],
    queryFn: () =>
      api<{ items: BankCardRow[]; total: number }>(
        'GET',
        `/api/bank-cards?${new URLSearchParams({ page: String(page), pageSize: '20', ...(kind ? { kind } : {}), ...(signed ? { signed } : {}), ...(keyword ? { keyword } : {}) })}`,
      ),
  });
  const reset =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setPage(1);
    };
  return (
    <Card title="银行卡查询">
      <Space style={{ marginBottom: 16 }} wrap>
        <Select
          aria-label="账户类型"
          value={kind}
          onChange={reset(setKind)}
          style={{ width: 140 }}
          options={[
            { value: '', label: '全部账户类型' },
            { value: 'CORPORATE', label: '对公户' },
            { value: 'PERSONAL', label: '对私户' },
          ]}
        />
        <Select
          aria-label="签约状态"
          value={signed}
          onChange={reset(setSigned)}
          style={{ width: 140 }}
          options={[
            { value: '', label: '全部签约状态' },
            { value: 'true', label: '已签约' },
            { value: 'false', label: '未签约' },
          ]}
        />
        <Input.Search placeholder="会员编号 / 名称 / 卡号后四位" allowClear onSearch={(v) => reset(setKeyword)(v.trim())} style={{ width: 280 }} />
      </Space>
      <Table<BankCardRow>
        rowKey="id"
        scroll={{ x: 'max-content' }}
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage }}
        columns={[
          { title: '会员编号', dataIndex: 'bizUserId' },
          { title: '会员名称', dataIndex: 'memberName' },
          { title: '会员类型', dataIndex: 'memberType', render: (t: BankCardRow['memberType']) => (t === 'ENTERPRISE' ? '企业会员' : '个人会员') },
          { title: '账户类型', dataIndex: 'corporate', render: (c: boolean) => (c ? <Tag color="blue">对公户</Tag> : <Tag>对私户</Tag>) },
          { title: '卡号/账号', dataIndex: 'cardNumber' },
          { title: '开户银行', dataIndex: 'bankName', render: (v: string | null) => v ?? '-' },
          { title: '预留手机', dataIndex: 'reservedPhone', render: (v: string | null) => v ?? '-' },
          { title: '验证时间', dataIndex: 'verifiedAt', render: formatTime },
          {
            title: '签约状态',
            dataIndex: 'signed',
            render: (s: boolean, r) =>
              s ? (
                <Tag color="green" title={`签约时间 ${formatTime(r.signedAt)}`}>
                  已签约
                </Tag>
              ) : (
                <Tag color="orange">未签约</Tag>
              ),
          },
          {
            title: '会员状态',
            dataIndex: 'memberStatus',
            render: (s: string) => <Tag color={MEMBER_STATUS[s]?.color}>{MEMBER_STATUS[s]?.text ?? s}</Tag>,
          },
          { title: '操作', render: (_, r) => <Link to={`/members/detail/${r.memberId}`}>会员详情</Link> },
        ]}
      />
    </Card>
  );
}
