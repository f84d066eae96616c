import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Descriptions, Drawer, Input, InputNumber, Modal, Select, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api';
import { useMe } from '../components/PortalLayout';
import { FLOW_LABELS, WAITING_FOR_LABELS, formatTime } from '../labels';

type Action = 'cancel' | 'retry' | 'extend' | 'resend';
interface WorkflowRow {
  workflowId: string;
  flow: string;
  flowLabel: string;
  businessKey: string;
  application: { appNo: string; name: string } | null;
  member: { bizUserId: string; displayName: string } | null;
  stage: string;
  stageLabel: string;
  waitingFor: string;
  waitingForLabel: string;
  deadline: string | null;
  timeLeftMs: number | null;
  closed: boolean;
  failingStep: string | null;
  retryable: boolean;
  lastError: string | null;
  startedAt: string;
  stageSince: string;
  updatedAt: string;
  actions: Action[];
  temporalUrl: string;
}
interface WorkflowDetail extends Omit<WorkflowRow, 'application' | 'member' | 'timeLeftMs' | 'startedAt' | 'stageSince' | 'updatedAt'> {
  runStatus: string;
  startTime: string;
  closeTime: string | null;
  lastErrorAt: string | null;
  live: Record<string, unknown> | null;
  timeline: { at: string; kind: 'stage' | 'operator' | 'current'; text: string }[];
}

const WAITING_COLORS: Record<string, string> = { MEMBER: 'blue', PLATFORM: 'cyan', REVIEWER: 'purple', OPERATOR: 'red', SYSTEM: 'default', NOBODY: 'default' };
const ACTION_LABELS: Record<Action, string> = { cancel: '取消', retry: '重试', extend: '延期', resend: '重发短信' };
const ACTION_PATHS: Record<Action, string> = { cancel: 'cancel', retry: 'retry', extend: 'extension', resend: 'resend' };

/** "3天5小时" / "已超时": how long until the deadline. */
function timeLeft(ms: number | null): string {
  if (ms === null) return '-';
  if (ms <= 0) return '已到期';
  const hours = Math.floor(ms / 3_600_000);
  return hours >= 24 ? `${Math.floor(hours / 24)}天${hours % 24}小时` : `${hours}小时${Math.floor((ms % 3_600_000) / 60_000)}分`;
}

/** "12-08 14:30": a deadline in a narrow column (the full time is its tooltip and in 详情). */
function shortTime(iso: string | null): string {
  if (!iso) return '-';
  const d = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** 流程监控: every instance of every flow, what it waits for, its deadline and last error; detail and operator actions. */
export function WorkflowsPage() {
  const me = useMe();
  const [filters, setFilters] = useState<Record<string, string>>({ closed: 'false' });
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string | null>(null);
  const [acting, setActing] = useState<{ workflowId: string; action: Action } | null>(null);
  const [reason, setReason] = useState('');
  const [days, setDays] = useState<number | null>(7);
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const setFilter = (key: string, value: string | undefined | null) => {
    setFilters((f) => {
      const next = { ...f };
      if (value === undefined || value === null || value === '') delete next[key];
      else next[key] = value;
      return next;
    });
    setPage(1);
  };
  const list = useQuery({
    queryKey: ['workflows', filters, page],
    queryFn: () => api<{ items: WorkflowRow[]; total: number }>('GET', `/api/operator/workflows?${new URLSearchParams({ page: String(page), ...filters })}`),
    refetchInterval: 10_000,
  });
  // 认证服务告警: members waiting on the verification vendor longer than the threshold.
  const outage = useQuery({
    queryKey: ['verification-outage'],
    queryFn: () =>
      api<{ waiting: number; oldestSince: string | null; waitedMinutes: number; thresholdMinutes: number; alerting: boolean }>(
        'GET',
        '/api/operator/verification-outage',
      ),
    refetchInterval: 30_000,
  });
  const detail = useQuery({
    queryKey: ['workflow', open],
    enabled: !!open,
    queryFn: () => api<WorkflowDetail>('GET', `/api/operator/workflows/${encodeURIComponent(open!)}`),
  });
  const act = useMutation({
    mutationFn: () =>
      api('POST', `/api/operator/workflows/${encodeURIComponent(acting!.workflowId)}/${ACTION_PATHS[acting!.action]}`, {
        reason,
        ...(acting!.action === 'extend' ? { days } : {}),
      }),
    onSuccess: () => {
      message.success(`已${ACTION_LABELS[acting!.action]}`);
      setActing(null);
      setReason('');
      setTimeout(() => {
        void queryClient.invalidateQueries({ queryKey: ['workflows'] });
        void queryClient.invalidateQueries({ queryKey: ['workflow'] });
      }, 500);
    },
    onError: (e: Error) => message.error(e.message),
  });
  const actionLinks = (workflowId: string, actions: Action[], row?: { retryable: boolean }) =>
    actions
      .filter((a) => a !== 'retry' || !row || row.retryable)
      .map((a) => (
        <a key={a} onClick={() => setActing({ workflowId, action: a })}>
          {ACTION_LABELS[a]}
        </a>
      ));
  return (
    <Card
      title="流程监控"
      extra={
        me.data && (
          <a href={me.data.links.temporalUi} target="_blank" rel="noreferrer">
            打开 Temporal Web UI
          </a>
        )
      }
    >
      {outage.data?.alerting && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="verification-outage"
          message={`认证服务异常：${outage.data.waiting}位会员的实名认证已等待${outage.data.waitedMinutes}分钟（告警阈值${outage.data.thresholdMinutes}分钟）`}
          description={`最早一笔自 ${formatTime(outage.data.oldestSince)} 起无应答。系统在自动重试，会员的开户链接在等待期间不会过期，认证完成后有效期按等待时长顺延；请联系认证服务商排查。`}
        />
      )}
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          placeholder="流程类型"
          style={{ width: 170 }}
          onChange={(v) => setFilter('flow', v)}
          options={Object.entries(FLOW_LABELS).map(([value, label]) => ({ value, label }))}
        />
        <Select
          allowClear
          placeholder="等待方"
          style={{ width: 130 }}
          onChange={(v) => setFilter('waitingFor', v)}
          options={Object.entries(WAITING_FOR_LABELS).map(([value, label]) => ({ value, label }))}
        />
        <Select
          placeholder="状态"
          style={{ width: 110 }}
          defaultValue="false"
          onChange={(v) => setFilter('closed', v)}
          options={[
            { value: 'false', label: '进行中' },
            { value: 'true', label: '已结束' },
            { value: '', label: '全部' },
          ]}
        />
        <Input.Search placeholder="应用编号" allowClear style={{ width: 160 }} onSearch={(v) => setFilter('application', v.trim())} />
        <InputNumber min={1} max={365} placeholder="停滞超过N天" style={{ width: 140 }} onChange={(v) => setFilter('stuckDays', v ? String(v) : undefined)} />
        <Checkbox onChange={(e) => setFilter('failing', e.target.checked ? 'true' : undefined)}>仅看失败</Checkbox>
        <Input.Search placeholder="会员名称 / 会员编号 / 手机号 / 流程编号" allowClear style={{ width: 300 }} onSearch={(v) => setFilter('q', v.trim())} />
      </Space>
      <Table<WorkflowRow>
        rowKey="workflowId"
        size="small"
        scroll={{ x: 960 }}
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showTotal: (t) => `共 ${t} 条` }}
        // At a laptop's width (1366 px) the state of a flow shows without scrolling sideways: who and what
        // in one column, the deadline with the time left, the error cut short; the rest is in 详情.
        tableLayout="fixed"
        columns={[
          {
            title: '流程 / 对象',
            width: 210,
            render: (_, r) => (
              <div style={{ lineHeight: 1.4 }}>
                <div>{r.flowLabel}</div>
                <Typography.Text type="secondary" ellipsis style={{ maxWidth: 194, fontSize: 12 }} title={r.businessKey}>
                  {r.member ? `${r.member.displayName}（${r.member.bizUserId}）` : r.businessKey}
                </Typography.Text>
              </div>
            ),
          },
          {
            title: '当前环节',
            width: 160,
            render: (_, r) => (
              <Tag color={r.closed ? 'default' : 'processing'} style={{ whiteSpace: 'normal' }}>
                {r.stageLabel}
              </Tag>
            ),
          },
          { title: '等待', dataIndex: 'waitingFor', width: 80, render: (w: string, r) => <Tag color={WAITING_COLORS[w]}>{r.waitingForLabel}</Tag> },
          {
            title: '截止 / 剩余',
            width: 130,
            render: (_, r) => (
              <div style={{ lineHeight: 1.4 }} title={formatTime(r.deadline)}>
                <div>{shortTime(r.deadline)}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {timeLeft(r.timeLeftMs)}
                </Typography.Text>
              </div>
            ),
          },
          {
            title: '最近错误',
            width: 200,
            render: (_, r) =>
              r.failingStep ? (
                <Typography.Text type="danger" ellipsis style={{ maxWidth: 184 }} title={r.lastError ?? ''}>
                  {r.retryable ? '待重试：' : '失败中：'}
                  {r.lastError}
                </Typography.Text>
              ) : (
                '-'
              ),
          },
          {
            title: '操作',
            fixed: 'right',
            width: 180,
            render: (_, r) => (
              <Space size={8} wrap>
                <a onClick={() => setOpen(r.workflowId)}>详情</a>
                {actionLinks(r.workflowId, r.actions, r)}
              </Space>
            ),
          },
        ]}
      />
      <Drawer open={!!open} width={620} title="流程详情" onClose={() => setOpen(null)}>
        {detail.data && (
          <>
            {detail.data.failingStep && (
              <Alert
                type="error"
                showIcon
                style={{ marginBottom: 12 }}
                message={
                  detail.data.retryable ? `步骤「${detail.data.failingStep}」已失败，等待运营人员重试` : `步骤「${detail.data.failingStep}」正在失败重试中`
                }
                description={`${detail.data.lastError ?? ''}（${formatTime(detail.data.lastErrorAt)}）`}
              />
            )}
            <Descriptions column={1} size="small" bordered>
              <Descriptions.Item label="流程">{detail.data.flowLabel}</Descriptions.Item>
              <Descriptions.Item label="流程编号">
                <Typography.Text code copyable>
                  {detail.data.workflowId}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label="业务键">{detail.data.businessKey}</Descriptions.Item>
              <Descriptions.Item label="当前环节">{detail.data.stageLabel}</Descriptions.Item>
              <Descriptions.Item label="等待">{detail.data.waitingForLabel}</Descriptions.Item>
              <Descriptions.Item label="截止时间">{formatTime(detail.data.deadline)}</Descriptions.Item>
              <Descriptions.Item label="运行状态">{detail.data.runStatus}</Descriptions.Item>
              <Descriptions.Item label="开始时间">{formatTime(detail.data.startTime)}</Descriptions.Item>
              <Descriptions.Item label="结束时间">{formatTime(detail.data.closeTime)}</Descriptions.Item>
            </Descriptions>
            <Space style={{ marginTop: 12 }}>{actionLinks(detail.data.workflowId, detail.data.actions, detail.data)}</Space>
            <Typography.Title level={5} style={{ marginTop: 20 }}>
              时间线
            </Typography.Title>
            <Timeline
              items={detail.data.timeline.map((e) => ({
                color: e.kind === 'operator' ? 'orange' : e.kind === 'current' ? 'green' : 'blue',
                children: `${formatTime(e.at)} ${e.text}`,
              }))}
            />
            <Typography.Title level={5}>流程实时状态（status 查询）</Typography.Title>
            {detail.data.live ? (
              <pre style={{ maxHeight: 240, overflow: 'auto', background: '#fafafa', padding: 8 }}>
                {JSON.stringify({ ...detail.data.live, history: undefined }, null, 2)}
              </pre>
            ) : (
              <Typography.Text type="secondary">流程已结束或暂不可查询</Typography.Text>
            )}
            <Button href={detail.data.temporalUrl} target="_blank" style={{ marginTop: 12 }}>
              在 Temporal Web UI 中查看
            </Button>
          </>
        )}
      </Drawer>
      <Modal
        open={!!acting}
        title={acting ? `${ACTION_LABELS[acting.action]}：${acting.workflowId}` : ''}
        okText={acting ? `确认${ACTION_LABELS[acting.action]}` : '确认'}
        okButtonProps={{ danger: acting?.action === 'cancel' }}
        confirmLoading={act.isPending}
        onOk={() => act.mutate()}
        onCancel={() => setActing(null)}
      >
        {acting?.action === 'extend' && (
          <Space style={{ marginBottom: 12 }}>
            延期天数
            <InputNumber min={1} max={30} value={days} onChange={setDays} />
          </Space>
        )}
        <Input.TextArea rows={3} placeholder="请填写操作原因（将记入审计日志）" value={reason} onChange={(e) => setReason(e.target.value)} />
      </Modal>
    </Card>
  );
}
