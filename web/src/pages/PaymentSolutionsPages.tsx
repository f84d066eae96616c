import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Descriptions, Form, Input, Modal, Space, Table, Tabs, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { b2bAppKeySchema } from '../../../api/payment-solutions/schemas';
import { api, zodRule } from '../api';
import { formatTime } from '../labels';

interface B2bMerchant {
  merchantNo: string;
  channelStatus: string | null;
  appKeyConfigured: boolean;
  appKeyConfiguredAt: string | null;
  appKey: string | null;
  updatedAt: string | null;
}

/** 支付解决方案 → 小程序B2B门店助手参数: the store assistant's payment merchant and its appkey at the channel. */
export function B2bStoreAssistantPage() {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<B2bMerchant | null>(null);
  const [form] = Form.useForm<{ appKey: string }>();
  const store = useQuery({
    queryKey: ['b2b-store'],
    queryFn: () => api<{ opened: boolean; merchants: B2bMerchant[] }>('GET', '/api/payment-solutions/b2b-store'),
    retry: false,
  });
  const save = useMutation({
    mutationFn: (v: { merchantNo: string; appKey: string }) => api('PUT', '/api/payment-solutions/b2b-store/app-key', v),
    onSuccess: () => {
      message.success('appkey 已配置至支付渠道');
      setEditing(null);
      form.resetFields();
      void queryClient.invalidateQueries({ queryKey: ['b2b-store'] });
    },
    onError: (e: Error) => message.error(e.message),
  });
  if (store.error) return <Alert type="error" showIcon message={store.error.message} />;
  if (!store.data) return <Card loading title="小程序B2B门店助手参数" />;
  return (
    <Card title="小程序B2B门店助手参数">
      {!store.data.opened ? (
        <Alert type="info" showIcon message="该应用未开通小程序B2B门店助手，无需配置 appkey。" />
      ) : (
        <>
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            message="appkey 可在微信小程序后台“门店助手”中获取；提交后由支付渠道保存，本平台仅保留脱敏值。"
          />
          <Table<B2bMerchant>
            rowKey="merchantNo"
            pagination={false}
            dataSource={store.data.merchants}
            columns={[
              { title: '支付商户号', dataIndex: 'merchantNo' },
              {
                title: '渠道状态',
                render: (_, m) => (m.channelStatus === 'NORMAL' ? <Tag color="success">正常</Tag> : <Tag>{m.channelStatus ?? '渠道未登记'}</Tag>),
              },
              {
                title: 'appkey',
                render: (_, m) => (m.appKeyConfigured ? <Tag color="success">已配置 {m.appKey ?? ''}</Tag> : <Tag color="warning">未配置</Tag>),
              },
              { title: '配置时间', render: (_, m) => formatTime(m.appKeyConfiguredAt) },
              {
                title: '操作',
                render: (_, m) => (
                  <Button size="small" onClick={() => setEditing(m)}>
                    {m.appKeyConfigured ? '修改appkey' : '配置appkey'}
                  </Button>
                ),
              },
            ]}
          />
        </>
      )}
      <Modal
        open={!!editing}
        title={`配置 appkey：${editing?.merchantNo ?? ''}`}
        okText="提交"
        confirmLoading={save.isPending}
        onCancel={() => setEditing(null)}
        onOk={() => void form.validateFields().then((v) => save.mutate({ merchantNo: editing!.merchantNo, appKey: v.appKey.trim() }))}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item label="appkey" name="appKey" rules={[zodRule(b2bAppKeySchema.shape.appKey)]}>
            <Input.Password placeholder="32位字母或数字" autoComplete="off" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

interface WeiqifuView {
  opened: boolean;
  merchantNo: string | null;
  balance: { available: string; frozen: string; asOf: string } | null;
  /** The server's default days (its clock, Shanghai): files of D-1, balances of the last month. */
  defaults: { fileDay: string; from: string; to: string };
}

/** 支付解决方案 → 微企付: real-time balance, trade and fund files (default D-1), end-of-day balances (default the last month). */
export function WeiqifuPage() {
  const view = useQuery({
    queryKey: ['weiqifu'],
    queryFn: () => api<WeiqifuView>('GET', '/api/payment-solutions/weiqifu'),
    retry: false,
  });
  if (view.error) return <Alert type="error" showIcon message={view.error.message} />;
  if (!view.data) return <Card loading title="微企付" />;
  const v = view.data;
  if (!v.opened)
    return (
      <Card title="微企付">
        <Alert type="info" showIcon message="该应用未开通微企付支付产品。" />
      </Card>
    );
  return (
    <Card title="微企付">
      <Tabs
        items={[
          {
            key: 'balance',
            label: '实时余额查询',
            children: (
              <Space direction="vertical">
                <Descriptions bordered size="small" column={2}>
                  <Descriptions.Item label="微企付商户号">{v.merchantNo}</Descriptions.Item>
                  <Descriptions.Item label="查询时间">{formatTime(v.balance?.asOf ?? null)}</Descriptions.Item>
                  <Descriptions.Item label="可用余额（元）">
                    <span data-testid="weiqifu-available">{v.balance?.available ?? '渠道未登记'}</span>
                  </Descriptions.Item>
                  <Descriptions.Item label="冻结金额（元）">{v.balance?.frozen ?? '-'}</Descriptions.Item>
                </Descriptions>
                <Button onClick={() => void view.refetch()} loading={view.isFetching}>
                  刷新余额
                </Button>
              </Space>
            ),
          },
          { key: 'files', label: '文件下载', children: <WeiqifuFiles defaultDay={v.defaults.fileDay} /> },
          { key: 'daily', label: '日终余额查询', children: <WeiqifuDailyBalances from={v.defaults.from} to={v.defaults.to} /> },
        ]}
      />
    </Card>
  );
}

function WeiqifuFiles({ defaultDay }: { defaultDay: string }) {
  const [day, setDay] = useState(defaultDay);
  const href = (type: 'TRADE' | 'FUND') => `/api/payment-solutions/weiqifu/files?${new URLSearchParams({ type, day })}`;
  return (
    <Space direction="vertical">
      <Space>
        文件日期
        <DatePicker
          allowClear={false}
          value={dayjs(day)}
          // A day's files exist once it has closed: D-1 at the latest.
          disabledDate={(d) => d.format('YYYY-MM-DD') > defaultDay}
          onChange={(d: Dayjs | null) => d && setDay(d.format('YYYY-MM-DD'))}
        />
      </Space>
      <Space>
        <a href={href('TRADE')}>下载交易对账单</a>
        <a href={href('FUND')}>下载资金对账单</a>
      </Space>
    </Space>
  );
}

function WeiqifuDailyBalances(props: { from: string; to: string }) {
  const [range, setRange] = useState({ from: props.from, to: props.to });
  const balances = useQuery({
    queryKey: ['weiqifu-daily', range],
    queryFn: () =>
      api<{ items: { day: string; merchantNo: string; balance: string }[] }>(
        'GET',
        `/api/payment-solutions/weiqifu/daily-balances?${new URLSearchParams(range)}`,
      ),
    retry: false,
  });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <DatePicker.RangePicker
          allowClear={false}
          value={[dayjs(range.from), dayjs(range.to)]}
          disabledDate={(d) => d.format('YYYY-MM-DD') > props.to}
          onChange={(r: null | (Dayjs | null)[]) => r?.[0] && r[1] && setRange({ from: r[0].format('YYYY-MM-DD'), to: r[1].format('YYYY-MM-DD') })}
        />
        <a href={`/api/payment-solutions/weiqifu/daily-balances/export?${new URLSearchParams(range)}`}>导出</a>
      </Space>
      {balances.error && <Alert type="error" showIcon message={balances.error.message} />}
      <Table
        rowKey="day"
        size="small"
        loading={balances.isLoading}
        dataSource={balances.data?.items ?? []}
        pagination={{ pageSize: 31 }}
        columns={[
          { title: '日期', dataIndex: 'day' },
          { title: '微企付商户号', dataIndex: 'merchantNo' },
          { title: '日终余额（元）', dataIndex: 'balance', align: 'right' },
        ]}
      />
    </Space>
  );
}
