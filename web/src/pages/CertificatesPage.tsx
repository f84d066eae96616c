import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { sm2 } from 'sm-crypto';
import { publicKeySchema } from '../../../api/application-centre/schemas';
import { api, zodRule } from '../api';
import { formatTime } from '../labels';

interface Certificates {
  appNo?: string;
  /** 服务商密钥: the id the provider sends as X-YST-Provider, and whether HQ operations opened the mode. */
  providerId?: string;
  openApiEnabledAt?: string | null;
  publicKey: string | null;
  publicKeyUpdatedAt: string | null;
  encryptionKeySet: boolean;
  encryptionKeyUpdatedAt: string | null;
  previousKeyValidUntil: string | null;
  platformPublicKey: string;
}

const mono = { fontFamily: 'monospace', wordBreak: 'break-all' as const };

/**
 * 应用中心 → 证书管理. 生成秘钥对 runs in this browser (sm-crypto): the private
 * key is shown here to copy and is never sent; 一键回填 puts the public key in
 * the form, 保存 stores it. 生成加密秘钥 shows the sensitive-field key once.
 */
/** Whose keys: the application's (应用中心 → 证书管理) or, in the provider portal, 服务商密钥. */
const SCOPES = {
  application: { base: '/api/application-centre/certificates', title: '证书管理', key: '应用公钥', queryKey: 'certificates' },
  provider: { base: '/api/provider/certificates', title: '服务商密钥', key: '服务商公钥', queryKey: 'provider-certificates' },
} as const;

export function CertificatesPage({ scope = 'application' }: { scope?: keyof typeof SCOPES }) {
  const s = SCOPES[scope];
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ publicKey: string }>();
  const [pair, setPair] = useState<{ publicKey: string; privateKey: string } | null>(null);
  const [encryptionKey, setEncryptionKey] = useState<string | null>(null);
  const certs = useQuery({ queryKey: [s.queryKey], queryFn: () => api<Certificates>('GET', s.base) });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: [s.queryKey] });
  const save = useMutation({
    mutationFn: (v: { publicKey: string }) => api<Certificates>('PUT', `${s.base}/public-key`, v),
    onSuccess: (saved) => (message.success(`${s.key}已保存，可使用对应私钥签名调用接口`), queryClient.setQueryData([s.queryKey], saved)),
    onError: (e: Error) => message.error(e.message),
  });
  const generateKey = useMutation({
    mutationFn: () => api<{ encryptionKey: string }>('POST', `${s.base}/encryption-key`),
    onSuccess: (r) => (setEncryptionKey(r.encryptionKey), refresh()),
    onError: (e: Error) => message.error(e.message),
  });
  const copy = async (text: string, what: string) => {
    try {
      await navigator.clipboard.writeText(text);
      message.success(`${what}已复制`);
    } catch {
      message.warning('浏览器不允许自动复制，请手动选中复制');
    }
  };
  const c = certs.data;
  if (!c) return <Card loading title={s.title} />;
  return (
    <Card title={s.title}>
      <Descriptions bordered size="small" column={1} style={{ marginBottom: 16 }}>
        {c.appNo && <Descriptions.Item label="应用编号">{c.appNo}</Descriptions.Item>}
        {c.providerId && (
          <>
            <Descriptions.Item label="服务商编号（X-YST-Provider）">
              <span style={mono}>{c.providerId}</span>
            </Descriptions.Item>
            <Descriptions.Item label="服务商身份对接">
              {c.openApiEnabledAt ? `已由总部运营开通（${formatTime(c.openApiEnabledAt)}）` : '未开通：保存服务商公钥后，请联系分公司由总部运营配置'}
            </Descriptions.Item>
          </>
        )}
        <Descriptions.Item label="通联公钥（SM2）">
          <Space direction="vertical" style={{ width: '100%' }}>
            <span style={mono} data-testid="platform-public-key">
              {c.platformPublicKey}
            </span>
            <a href={`${s.base}/platform-public-key`}>下载通联公钥</a>
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={`当前${s.key}`}>
          {c.publicKey ? (
            <span style={mono} data-testid="current-public-key">
              {c.publicKey}（{formatTime(c.publicKeyUpdatedAt)} 保存）
            </span>
          ) : (
            '未设置：设置后才能调用开放接口'
          )}
        </Descriptions.Item>
        <Descriptions.Item label="敏感字段加密秘钥">
          {c.encryptionKeySet ? `已生成（${formatTime(c.encryptionKeyUpdatedAt)}），如遗失请重新生成` : '未生成'}
          {c.previousKeyValidUntil && (
            <div data-testid="previous-key">上一个加密秘钥在 {formatTime(c.previousKeyValidUntil)} 前仍可使用（供平台服务器逐台切换）</div>
          )}
        </Descriptions.Item>
      </Descriptions>
      <Form form={form} layout="vertical" style={{ maxWidth: 760 }} onFinish={(v) => save.mutate({ publicKey: v.publicKey.trim() })}>
        <Form.Item label={`${s.key}（SM2）`} name="publicKey" rules={[zodRule(publicKeySchema.shape.publicKey)]}>
          <Input.TextArea rows={3} style={mono} placeholder="点击“生成秘钥对”，再点击“一键回填”" />
        </Form.Item>
        <Space>
          <Button onClick={() => setPair(sm2.generateKeyPairHex())}>生成秘钥对</Button>
          <Button onClick={() => generateKey.mutate()} loading={generateKey.isPending}>
            生成加密秘钥
          </Button>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            保存
          </Button>
        </Space>
      </Form>
      <Modal title="生成秘钥" open={!!pair} onCancel={() => setPair(null)} footer={null} width={720}>
        {pair && (
          <>
            <Alert type="warning" showIcon style={{ marginBottom: 12 }} message="私钥只在本页面显示一次，平台不保存，请复制后妥善保管（用于接口请求签名）。" />
            <Typography.Paragraph>
              <b>{s.key}：</b>
              <span style={mono} data-testid="public-key">
                {pair.publicKey}
              </span>
            </Typography.Paragraph>
            <Typography.Paragraph>
              <b>应用私钥：</b>
              <span style={mono} data-testid="private-key">
                {pair.privateKey}
              </span>
            </Typography.Paragraph>
            <Space>
              <Button type="primary" onClick={() => (form.setFieldsValue({ publicKey: pair.publicKey }), message.success('公钥已回填，请点击保存'))}>
                一键回填
              </Button>
              <Button onClick={() => void copy(pair.privateKey, '私钥')}>复制私钥</Button>
              <Button onClick={() => setPair(null)}>关闭</Button>
            </Space>
          </>
        )}
      </Modal>
      <Modal title="敏感字段加密秘钥（SM4）" open={!!encryptionKey} onCancel={() => setEncryptionKey(null)} footer={null}>
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} message="加密秘钥只显示这一次，请复制保存；重新生成后旧秘钥失效。" />
        <Typography.Paragraph style={mono} data-testid="encryption-key">
          {encryptionKey}
        </Typography.Paragraph>
        <Button onClick={() => void copy(encryptionKey ?? '', '加密秘钥')}>复制</Button>
      </Modal>
    </Card>
  );
}
