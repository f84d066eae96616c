import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, Space } from 'antd';
import { MAX_DIRECTORIES, wechatPaySettingSchema } from '../../../api/application-centre/schemas';
import { api, zodRule } from '../api';
import { formatTime } from '../labels';

interface WechatPaySetting {
  opened: boolean;
  cashierMerchantNo: string | null;
  appId: string | null;
  directories: string[];
  updatedAt: string | null;
}

/** 应用中心 → 微信支付参数设置: the WeChat Pay app id and payment authorisation directories of the cashier merchant. */
export function WechatPayPage() {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const setting = useQuery({ queryKey: ['wechat-pay'], queryFn: () => api<WechatPaySetting>('GET', '/api/application-centre/wechat-pay') });
  const save = useMutation({
    mutationFn: (v: { appId: string; directories: string[] }) => api<WechatPaySetting>('PUT', '/api/application-centre/wechat-pay', v),
    onSuccess: () => {
      message.success('微信支付参数已保存');
      void queryClient.invalidateQueries({ queryKey: ['wechat-pay'] });
    },
    onError: (e: Error) => message.error(e.message),
  });
  if (!setting.data) return <Card loading title="微信支付参数设置" />;
  const s = setting.data;
  return (
    <Card title="微信支付参数设置">
      {!s.opened ? (
        <Alert type="info" showIcon message="该应用入网时未开通收银宝微信支付产品，无需设置微信支付参数。" />
      ) : (
        <>
          <Descriptions size="small" column={2} style={{ marginBottom: 16 }}>
            <Descriptions.Item label="收银宝商户号">{s.cashierMerchantNo}</Descriptions.Item>
            <Descriptions.Item label="最近保存">{formatTime(s.updatedAt)}</Descriptions.Item>
          </Descriptions>
          <Form
            layout="vertical"
            style={{ maxWidth: 560 }}
            initialValues={{ appId: s.appId ?? '', directories: s.directories.length ? s.directories : [''] }}
            onFinish={(v: { appId: string; directories: string[] }) => save.mutate({ appId: v.appId.trim(), directories: v.directories.map((d) => d.trim()) })}
          >
            <Form.Item label="微信支付 appid" name="appId" rules={[zodRule(wechatPaySettingSchema.shape.appId)]}>
              <Input placeholder="wx 开头的18位 appid" />
            </Form.Item>
            <Form.List name="directories">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((field, i) => (
                    <Form.Item key={field.key} label={i === 0 ? `支付授权目录（最多${MAX_DIRECTORIES}个）` : undefined} required={i === 0}>
                      <Space.Compact style={{ width: '100%' }}>
                        <Form.Item {...field} noStyle rules={[zodRule(wechatPaySettingSchema.shape.directories.element)]}>
                          <Input placeholder="https://pay.example.com/pay/" />
                        </Form.Item>
                        {fields.length > 1 && <Button onClick={() => remove(field.name)}>删除</Button>}
                      </Space.Compact>
                    </Form.Item>
                  ))}
                  {fields.length < MAX_DIRECTORIES && (
                    <Button type="dashed" onClick={() => add('')} style={{ marginBottom: 16 }}>
                      添加授权目录
                    </Button>
                  )}
                </>
              )}
            </Form.List>
            <div>
              <Button type="primary" htmlType="submit" loading={save.isPending}>
                保存
              </Button>
            </div>
          </Form>
        </>
      )}
    </Card>
  );
}
