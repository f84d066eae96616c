import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Popconfirm, Select, Space, Switch, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api';
import { usePagedList } from '../components/usePagedList';
import { MEMBER_EVENT_LABELS, formatTime } from '../labels';

interface WebhookConfig {
  configured: boolean;
  url: string | null;
  enabled: boolean;
  deliveredThrough: string | null;
  latestEventId: string | null;
  pending: number;
  signing: string;
  secret?: string;
}
interface EventRow {
  id: string;
  type: string;
  typeLabel: string;
  bizUserId: string;
  data: Record<string, unknown>;
  createdAt: string;
  delivered: boolean;
  attempts: number;
}
interface DeliveryRow {
  id: string;
  eventId: string;
  attempt: number;
  url: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  ok: boolean;
  at: string;
}

/** 事件推送: where member events go, the signing key (shown once), the events and every delivery attempt; replay from an event on. */
export function WebhooksPage() {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [secret, setSecret] = useState<string | null>(null);
  const [form] = Form.useForm<{ url: string; enabled: boolean }>();
  const config = useQuery({ queryKey: ['webhook'], queryFn: () => api<WebhookConfig>('GET', '/api/webhooks'), refetchInterval: 5000 });
  const events = usePagedList<EventRow, { type?: string }>('webhook-events', '/api/webhooks/events', {}, { refreshWhile: () => true });
  const deliveries = usePagedList<DeliveryRow, { eventId?: string }>('webhook-deliveries', '/api/webhooks/deliveries', {}, { refreshWhile: () => true });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['webhook'] });
  const save = useMutation({
    mutationFn: (v: { url: string; enabled: boolean }) => api<WebhookConfig>('PUT', '/api/webhooks', v),
    onSuccess: (r) => {
      message.success('已保存');
      if (r.secret) setSecret(r.secret);
      refresh();
    },
    onError: (e: Error) => message.error(e.message),
  });
  const rotate = useMutation({
    mutationFn: () => api<{ secret: string }>('POST', '/api/webhooks/secret'),
    onSuccess: (r) => setSecret(r.secret),
    onError: (e: Error) => message.error(e.message),
  });
  const replay = useMutation({
    mutationFn: (fromEventId: string) => api('POST', '/api/webhooks/replay', { fromEventId }),
    onSuccess: () => {
      message.success('已安排重新推送');
      refresh();
    },
    onError: (e: Error) => message.error(e.message),
  });
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Card title="事件推送配置">
        <Typography.Paragraph type="secondary">
          会员创建、开户环节变更、实名认证、协议签约、链接过期、批量导入和会员迁移事件将按顺序推送到下方地址（POST JSON）。每次推送带有签名：
          <Typography.Text code>{config.data?.signing}</Typography.Text>；推送失败会按退避策略持续重试，后续事件排队等待以保证顺序。
        </Typography.Paragraph>
        {config.data && (
          <Form
            form={form}
            layout="inline"
            initialValues={{ url: config.data.url ?? '', enabled: config.data.configured ? config.data.enabled : true }}
            onFinish={(v) => save.mutate(v)}
          >
            <Form.Item name="url" label="推送地址" rules={[{ required: true, message: '请填写推送地址' }]}>
              <Input style={{ width: 360 }} placeholder="https://example.com/yst/events" />
            </Form.Item>
            <Form.Item name="enabled" label="启用" valuePropName="checked">
              <Switch />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={save.isPending}>
              保存
            </Button>
            {config.data.configured && (
              <Popconfirm title="生成新密钥后，旧密钥立即失效。确认？" onConfirm={() => rotate.mutate()}>
                <Button style={{ marginLeft: 8 }}>重新生成密钥</Button>
              </Popconfirm>
            )}
          </Form>
        )}
        {config.data?.configured && (
          <Descriptions size="small" style={{ marginTop: 16 }} column={3}>
            <Descriptions.Item label="已推送至事件">{config.data.deliveredThrough}</Descriptions.Item>
            <Descriptions.Item label="最新事件">{config.data.latestEventId ?? '-'}</Descriptions.Item>
            <Descriptions.Item label="待推送">{config.data.pending}</Descriptions.Item>
          </Descriptions>
        )}
      </Card>
      <Card>
        <Tabs
          items={[
            {
              key: 'events',
              label: '会员事件',
              children: (
                <>
                  <Select
                    allowClear
                    placeholder="事件类型"
                    style={{ width: 180, marginBottom: 12 }}
                    onChange={(type) => events.setFilter({ type })}
                    options={Object.entries(MEMBER_EVENT_LABELS).map(([value, label]) => ({ value, label }))}
                  />
                  <Table<EventRow>
                    {...events.tableProps}
                    columns={[
                      { title: '事件编号', dataIndex: 'id' },
                      { title: '类型', dataIndex: 'typeLabel' },
                      { title: '会员编号', dataIndex: 'bizUserId' },
                      { title: '内容', dataIndex: 'data', render: (d) => <Typography.Text code>{JSON.stringify(d)}</Typography.Text> },
                      { title: '发生时间', dataIndex: 'createdAt', render: formatTime },
                      { title: '推送', render: (_, e) => (e.delivered ? <Tag color="green">已推送</Tag> : <Tag>待推送</Tag>) },
                      { title: '尝试次数', dataIndex: 'attempts' },
                      {
                        title: '操作',
                        render: (_, e) => (
                          <Space>
                            <a onClick={() => deliveries.setFilter({ eventId: e.id })}>投递日志</a>
                            <Popconfirm title="从该事件起（含）按顺序重新推送？" onConfirm={() => replay.mutate(e.id)}>
                              <a>从此重新推送</a>
                            </Popconfirm>
                          </Space>
                        ),
                      },
                    ]}
                  />
                </>
              ),
            },
            {
              key: 'deliveries',
              label: '投递日志',
              children: (
                <>
                  <Input.Search
                    placeholder="事件编号"
                    allowClear
                    style={{ width: 200, marginBottom: 12 }}
                    onSearch={(v) => deliveries.setFilter({ eventId: v.trim() || undefined })}
                  />
                  <Table<DeliveryRow>
                    {...deliveries.tableProps}
                    columns={[
                      { title: '时间', dataIndex: 'at', render: formatTime },
                      { title: '事件编号', dataIndex: 'eventId' },
                      { title: '第几次', dataIndex: 'attempt' },
                      { title: '结果', render: (_, d) => (d.ok ? <Tag color="green">成功</Tag> : <Tag color="red">失败</Tag>) },
                      { title: 'HTTP 状态', dataIndex: 'statusCode', render: (s) => s ?? '-' },
                      { title: '错误', dataIndex: 'error', render: (e) => e ?? '-' },
                      { title: '耗时(ms)', dataIndex: 'durationMs' },
                      { title: '地址', dataIndex: 'url' },
                    ]}
                  />
                </>
              ),
            },
          ]}
        />
      </Card>
      <Modal open={!!secret} title="事件推送签名密钥" footer={<Button onClick={() => setSecret(null)}>我已保存</Button>} onCancel={() => setSecret(null)}>
        <Alert type="warning" showIcon message="密钥只显示这一次，请立即复制保存；用它验证每次推送的 X-YST-Signature。" style={{ marginBottom: 12 }} />
        <Typography.Text code copyable>
          {secret}
        </Typography.Text>
      </Modal>
    </Space>
  );
}
