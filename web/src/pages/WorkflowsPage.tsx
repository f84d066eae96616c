import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Drawer, Input, Modal, Select, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api';
import { useMe } from '../components/PortalLayout';
import { STAGE_COLORS, STAGE_LABELS, formatTime } from '../labels';

type Stage = keyof typeof STAGE_LABELS;
interface WorkflowRow {
  workflowId: string;
  flowLabel: string;
  businessKey: string;
  member: { displayName: string };
  attempt: number;
  stage: Stage;
  waitingFor: string;
  deadline: string;
  updatedAt: string;
  temporalUrl: string;
}
interface WorkflowDetail {
  workflowId: string;
  runStatus: string;
  startTime: string | null;
  closeTime: string | null;
  live: { stage: Stage; waitingFor: string; expiresAt: string; history: { stage: Stage; at: string; note: string }[] } | null;
  temporalUrl: string;
}

/** 流程监控: every onboarding workflow, its stage, who it waits for and its deadline. */
export function WorkflowsPage() {
  const me = useMe();
  const [stage, setStage] = useState<Stage | undefined>();
  const [keyword, setKeyword] = useState('');
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: ['workflows', stage, keyword, page],
    queryFn: () =>
      api<{ items: WorkflowRow[]; total: number }>(
        'GET',
        `/api/operator/workflows?${new URLSearchParams({ page: String(page), ...(stage ? { stage } : {}), ...(keyword ? { keyword } : {}) })}`,
      ),
    refetchInterval: 10_000,
  });
  const detail = useQuery({
    queryKey: ['workflow', open],
    enabled: !!open,
    queryFn: () => api<WorkflowDetail>('GET', `/api/operator/workflows/${encodeURIComponent(open!)}`),
  });
  const cancel = useMutation({
    mutationFn: () => api('POST', `/api/operator/workflows/${encodeURIComponent(cancelling!)}/cancel`, { reason }),
    onSuccess: () => {
      message.success('已发送取消指令');
      setCancelling(null);
      setReason('');
      setTimeout(() => void queryClient.invalidateQueries({ queryKey: ['workflows'] }), 500);
    },
    onError: (e: Error) => message.error(e.message),
  });
  return (
    <Card
      title="流程监控 · 会员开户"
      extra={
        me.data && (
          <a href={me.data.links.temporalUi} target="_blank" rel="noreferrer">
            打开 Temporal Web UI
          </a>
        )
      }
    >
      <Space style={{ marginBottom: 16 }}>
        <Select
          allowClear
          placeholder="当前环节"
          style={{ width: 160 }}
          value={stage}
          onChange={(v) => {
            setStage(v);
            setPage(1);
          }}
          options={Object.entries(STAGE_LABELS).map(([value, label]) => ({ value, label }))}
        />
        <Input.Search
          placeholder="应用编号 / 会员编号 / 流程编号"
          allowClear
          style={{ width: 300 }}
          onSearch={(v) => {
            setKeyword(v.trim());
            setPage(1);
          }}
        />
      </Space>
      <Table<WorkflowRow>
        rowKey="workflowId"
        scroll={{ x: 'max-content' }}
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage }}
        columns={[
          { title: '流程', dataIndex: 'flowLabel' },
          { title: '业务键（应用 / 会员）', dataIndex: 'businessKey' },
          { title: '会员', render: (_, r) => r.member.displayName },
          { title: '第几次', dataIndex: 'attempt' },
          { title: '当前环节', dataIndex: 'stage', render: (s: Stage) => <Tag color={STAGE_COLORS[s]}>{STAGE_LABELS[s]}</Tag> },
          { title: '等待', dataIndex: 'waitingFor', render: (w: string) => (w === 'member' ? '会员' : '-') },
          { title: '截止时间', dataIndex: 'deadline', render: formatTime },
          { title: '更新时间', dataIndex: 'updatedAt', render: formatTime },
          {
            title: '操作',
            render: (_, r) => (
              <Space>
                <a onClick={() => setOpen(r.workflowId)}>详情</a>
                <a href={r.temporalUrl} target="_blank" rel="noreferrer">
                  Temporal
                </a>
                {!['COMPLETED', 'EXPIRED', 'CANCELLED'].includes(r.stage) && <a onClick={() => setCancelling(r.workflowId)}>取消</a>}
              </Space>
            ),
          },
        ]}
      />
      <Drawer open={!!open} width={560} title="流程详情" onClose={() => setOpen(null)}>
        {detail.data && (
          <>
            <Descriptions column={1} size="small" bordered>
              <Descriptions.Item label="流程编号">
                <Typography.Text code>{detail.data.workflowId}</Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label="运行状态">{detail.data.runStatus}</Descriptions.Item>
              <Descriptions.Item label="开始时间">{formatTime(detail.data.startTime)}</Descriptions.Item>
              <Descriptions.Item label="结束时间">{formatTime(detail.data.closeTime)}</Descriptions.Item>
              <Descriptions.Item label="当前环节（来自流程）">{detail.data.live ? STAGE_LABELS[detail.data.live.stage] : '流程已结束'}</Descriptions.Item>
            </Descriptions>
            {detail.data.live && (
              <Timeline
                style={{ marginTop: 24 }}
                items={detail.data.live.history.map((h) => ({ children: `${formatTime(h.at)} ${h.note}` }))}
              />
            )}
            <Button href={detail.data.temporalUrl} target="_blank" style={{ marginTop: 12 }}>
              在 Temporal Web UI 中查看
            </Button>
          </>
        )}
      </Drawer>
      <Modal
        open={!!cancelling}
        title="取消开户流程"
        okText="确认取消"
        okButtonProps={{ danger: true }}
        confirmLoading={cancel.isPending}
        onOk={() => cancel.mutate()}
        onCancel={() => setCancelling(null)}
      >
        <Input.TextArea rows={3} placeholder="请填写取消原因（将记入审计日志）" value={reason} onChange={(e) => setReason(e.target.value)} />
      </Modal>
    </Card>
  );
}
