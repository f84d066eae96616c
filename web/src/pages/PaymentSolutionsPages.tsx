import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Modal, Table, Tag } from 'antd';
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
