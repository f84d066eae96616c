import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, InputNumber, Input, Modal, Progress, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api';
import { usePagedList } from '../components/usePagedList';
import { LINK_STATUS, MEMBER_STATUS, formatTime } from '../labels';

interface MerchantRow {
  id: string;
  bizUserId: string;
  type: string;
  displayName: string;
  status: string;
  boundPhone: string | null;
  authorisationSignedAt: string | null;
  latestLink: { status: string; sentAt: string | null; expiresAt: string } | null;
}

export interface SigningBatch {
  id: string;
  status: 'RUNNING' | 'COMPLETED';
  total: number;
  processed: number;
  sent: number;
  skipped: number;
  validityDays: number;
  skippedMembers: { memberId: string; bizUserId: string | null; displayName: string | null; reason: string | null }[];
}

/** 收单商户管理 (账后结算 only): the merchants and batch sending of signing links. */
export function AcquiringPage() {
  const { message } = App.useApp();
  const { filter, setFilter, list, tableProps } = usePagedList<MerchantRow, { keyword?: string; status?: string; phoneBound?: string }>(
    'merchants',
    '/api/acquiring/merchants',
    {},
  );
  const [selected, setSelected] = useState<string[]>([]);
  const [validityDays, setValidityDays] = useState(7);
  const [confirming, setConfirming] = useState<null | 'selected' | 'all'>(null);
  const [batchId, setBatchId] = useState<string | null>(null);

  const batch = useQuery({
    queryKey: ['signing-batch', batchId],
    enabled: !!batchId,
    queryFn: () => api<SigningBatch>('GET', `/api/acquiring/signing-batches/${batchId}`),
    refetchInterval: (q) => (q.state.data?.status === 'COMPLETED' ? false : 1000),
  });
  const send = useMutation({
    mutationFn: (which: 'selected' | 'all') =>
      api<SigningBatch>('POST', '/api/acquiring/signing-batches', {
        validityDays,
        ...(which === 'selected' ? { memberIds: selected } : { allFiltered: filter }),
      }),
    onSuccess: (b) => {
      setConfirming(null);
      setSelected([]);
      setBatchId(b.id);
    },
    onError: (e: Error) => message.error(e.message),
  });

  const b = batch.data;
  return (
    <Card title="收单商户管理">
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        message="批量发送《客户委托结算授权函》签约链接前，请确认会员已绑定手机号；未绑定手机号或状态非正常的会员不会收到短信。"
      />
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search placeholder="会员编号 / 名称" allowClear style={{ width: 220 }} onSearch={(v) => setFilter({ keyword: v.trim() || undefined })} />
        <Select
          placeholder="会员状态"
          allowClear
          style={{ width: 140 }}
          options={Object.entries(MEMBER_STATUS).map(([value, s]) => ({ value, label: s.text }))}
          onChange={(v) => setFilter({ status: v })}
        />
        <Select
          placeholder="是否绑定手机"
          allowClear
          style={{ width: 140 }}
          options={[
            { value: 'true', label: '已绑定手机' },
            { value: 'false', label: '未绑定手机' },
          ]}
          onChange={(v) => setFilter({ phoneBound: v })}
        />
        <span>链接有效期</span>
        <InputNumber min={1} max={30} value={validityDays} onChange={(v) => setValidityDays(v ?? 7)} addonAfter="天" style={{ width: 120 }} />
        <Button type="primary" disabled={selected.length === 0} onClick={() => setConfirming('selected')}>
          发送签约链接（已选 {selected.length}）
        </Button>
        <Button onClick={() => setConfirming('all')}>全部筛选结果发送（{list.data?.total ?? 0}）</Button>
      </Space>
      <Table<MerchantRow>
        {...tableProps}
        rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]), preserveSelectedRowKeys: true }}
        columns={[
          { title: '会员编号', dataIndex: 'bizUserId' },
          { title: '会员名称', dataIndex: 'displayName' },
          { title: '类型', dataIndex: 'type', render: (t: string) => (t === 'ENTERPRISE' ? '企业' : '个人') },
          { title: '会员状态', dataIndex: 'status', render: (s: string) => <Tag color={MEMBER_STATUS[s]?.color}>{MEMBER_STATUS[s]?.text ?? s}</Tag> },
          { title: '绑定手机', dataIndex: 'boundPhone', render: (v: string | null) => v ?? <Typography.Text type="secondary">未绑定</Typography.Text> },
          {
            title: '授权函签约',
            render: (_, r) =>
              r.authorisationSignedAt ? (
                <Tag color="success">已签约 {formatTime(r.authorisationSignedAt)}</Tag>
              ) : r.latestLink ? (
                <Tag color={LINK_STATUS[r.latestLink.status]?.color}>{LINK_STATUS[r.latestLink.status]?.text}</Tag>
              ) : (
                '未发送'
              ),
          },
          { title: '最近发送', render: (_, r) => formatTime(r.latestLink?.sentAt) },
        ]}
      />
      <Modal
        open={confirming !== null}
        title="批量发送签约链接"
        okText="确认发送"
        confirmLoading={send.isPending}
        onOk={() => send.mutate(confirming!)}
        onCancel={() => setConfirming(null)}
      >
        向{confirming === 'selected' ? `已选的 ${selected.length} 个会员` : `全部筛选结果（${list.data?.total ?? 0} 个会员）`}
        发送《客户委托结算授权函》签约链接，链接有效期 {validityDays} 天。已有未签约链接的会员，旧链接将失效。
      </Modal>
      <Modal
        open={!!batchId}
        title="发送结果"
        footer={<Button onClick={() => (setBatchId(null), void list.refetch())}>关闭</Button>}
        onCancel={() => setBatchId(null)}
      >
        {b && (
          <div data-testid="batch-result">
            <Progress percent={b.total ? Math.floor((b.processed / b.total) * 100) : 0} status={b.status === 'COMPLETED' ? 'success' : 'active'} />
            <Typography.Paragraph>
              {b.status === 'COMPLETED' ? '发送完成' : '正在发送…'}：共 {b.total} 个会员，成功发送 <b>{b.sent}</b> 个，跳过 <b>{b.skipped}</b> 个。
            </Typography.Paragraph>
            {b.skippedMembers.length > 0 && (
              <Table
                size="small"
                rowKey="memberId"
                pagination={false}
                dataSource={b.skippedMembers}
                columns={[
                  { title: '会员编号', dataIndex: 'bizUserId' },
                  { title: '会员名称', dataIndex: 'displayName' },
                  { title: '跳过原因', dataIndex: 'reason' },
                ]}
              />
            )}
          </div>
        )}
      </Modal>
    </Card>
  );
}
