import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, Result, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { codeSchema } from '../../../api/member-onboarding/schemas';
import { type ApiError, api, zodRule } from '../api';
import { formatTime } from '../labels';

interface SigningView {
  applicationName: string;
  memberName: string;
  purpose: 'SETTLEMENT_AUTHORISATION' | 'SPLIT_RULE';
  phone: string | null;
  expiresAt: string;
  agreement: { title: string; version: string; text: string };
  subject: null | {
    ruleNo: string;
    name: string;
    receiver: string;
    commission: { method: string; value: number } | null;
    parties: { member: string; method: string; value: number }[];
  };
  codeSent: { sentTo: string; sentAt: string } | null;
}

const share = (s: { method: string; value: number }) => (s.method === 'RATIO' ? `${s.value / 100}%` : `${(s.value / 100).toFixed(2)}元`);

/** The member's signing page, opened from an SMS link: read, get a code, sign. */
export function SignPage() {
  const { token } = useParams();
  const { message } = App.useApp();
  const view = useQuery({ queryKey: ['signing', token], queryFn: () => api<SigningView>('GET', `/api/signing/${token}`) });
  const [busy, setBusy] = useState(false);
  const [signedAt, setSignedAt] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);

  const requestCode = async () => {
    setBusy(true);
    try {
      await api('POST', `/api/signing/${token}/code`);
      await view.refetch();
    } catch (e) {
      message.error((e as ApiError).message);
    } finally {
      setBusy(false);
    }
  };
  const sign = async ({ code }: { code: string }) => {
    setBusy(true);
    try {
      const r = await api<{ signedAt: string }>('POST', `/api/signing/${token}/signature`, { code });
      setSignedAt(r.signedAt);
    } catch (e) {
      message.error((e as ApiError).message);
    } finally {
      setBusy(false);
    }
  };

  let content;
  if (signedAt) content = <Result status="success" title="签约成功" subTitle={`您已于 ${formatTime(signedAt)} 完成签约，可以关闭本页面。`} />;
  else if (view.isLoading) content = <Spin style={{ display: 'block', margin: '80px auto' }} />;
  else if (view.error) {
    const err = view.error as ApiError;
    const titles: Record<string, string> = {
      'signing.link_expired': '签约链接已过期',
      'signing.link_revoked': '签约链接已失效',
      'signing.link_used': '已完成签约',
      'signing.link_invalid': '签约链接无效',
    };
    content = <Result status={err.id === 'signing.link_used' ? 'success' : 'warning'} title={titles[err.id] ?? '页面加载失败'} subTitle={err.message} />;
  } else {
    const v = view.data!;
    const cooldown = v.codeSent ? Math.max(0, Math.ceil((Date.parse(v.codeSent.sentAt) + 60_000 - now) / 1000)) : 0;
    content = (
      <>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {v.agreement.title}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {v.applicationName} 邀请 {v.memberName} 签署，链接有效期至 {formatTime(v.expiresAt)}
        </Typography.Paragraph>
        <div style={{ maxHeight: 260, overflow: 'auto', whiteSpace: 'pre-wrap', background: '#fafafa', padding: 12, fontSize: 13, marginBottom: 12 }}>
          {v.agreement.text}
        </div>
        {v.subject && (
          <Card size="small" title="分账抽佣规则" style={{ marginBottom: 12 }}>
            <Descriptions column={1} size="small">
              <Descriptions.Item label="规则">{`${v.subject.name}（${v.subject.ruleNo}）`}</Descriptions.Item>
              <Descriptions.Item label="收款会员">{v.subject.receiver}</Descriptions.Item>
              <Descriptions.Item label="平台抽佣">{v.subject.commission ? share(v.subject.commission) : '无'}</Descriptions.Item>
              {v.subject.parties.map((p) => (
                <Descriptions.Item key={p.member} label="分账方">{`${p.member}：${share(p)}`}</Descriptions.Item>
              ))}
            </Descriptions>
          </Card>
        )}
        {v.codeSent && <Alert type="success" showIcon style={{ marginBottom: 12 }} message={`验证码已发送至 ${v.codeSent.sentTo}，10分钟内有效`} />}
        <Form layout="vertical" onFinish={sign}>
          <Form.Item label={`短信验证码（发送至 ${v.phone ?? '绑定手机'}）`} name="code" rules={[zodRule(codeSchema.shape.code)]}>
            <Input
              inputMode="numeric"
              maxLength={6}
              addonAfter={
                <a onClick={() => cooldown === 0 && !busy && void requestCode()}>
                  {cooldown > 0 ? `${cooldown}秒后重发` : v.codeSent ? '重新获取' : '获取验证码'}
                </a>
              }
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            同意并签署
          </Button>
        </Form>
      </>
    );
  }
  return <div style={{ maxWidth: 480, margin: '0 auto', padding: 16, minHeight: '100vh', background: '#fff' }}>{content}</div>;
}
