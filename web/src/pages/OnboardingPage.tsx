import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Descriptions, Form, Input, Radio, Result, Space, Spin, Steps, Typography, Upload } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { codeSchema, companySchema, legalRepresentativeSchema, realNameSchema } from '../../../api/member-onboarding/schemas';
import { PERSONAL_INFORMATION_CONSENT } from '../../../domain/personal-information';
import type { ZodType } from 'zod';
import { type ApiError, api, zodRule } from '../api';
import { type STEP_LABELS, formatTime } from '../labels';

type Stage = 'CONFIRMATION' | 'INFORMATION' | 'PHONE_BINDING' | 'AGREEMENT_SIGNING' | 'COMPLETED';
interface CodeSent {
  sentTo: string;
  sentAt: string;
}
interface View {
  memberType: 'INDIVIDUAL' | 'ENTERPRISE';
  applicationName: string;
  stage: Stage;
  expiresAt: string;
  deviceVerified: boolean;
  verificationPhone: string | null;
  /** 认证中 (the vendor has not answered yet; the platform asks again by itself), or a verdict found meanwhile. */
  verification: { pending: boolean; since: string | null; note: string | null } | null;
  stepsDone: string[];
  nextStep: keyof typeof STEP_LABELS | null;
  entered: {
    realName: { name: string; idNumber: string; cardNumber: string; phone: string } | null;
    company: { name: string; creditCode: string; address: string; businessScope: string } | null;
    legalRepresentative: { name: string; idNumber: string; phone: string } | null;
    uploads: { id: string; kind: string; size: number }[];
    phoneOnFile: string | null;
    boundPhone: string | null;
  } | null;
  codes: { phoneBinding: CodeSent | null; signing: CodeSent | null } | null;
  agreement: { title: string; version: string; text: string } | null;
  /** Everything the signing code signs: the 会员服务协议, and the 会员支付账户协议 in realtime-settlement applications. */
  agreements: { kind: string; title: string; version: string; text: string }[];
}

const STAGE_INDEX: Record<Stage, number> = { CONFIRMATION: 0, INFORMATION: 0, PHONE_BINDING: 1, AGREEMENT_SIGNING: 2, COMPLETED: 3 };
const RESEND_SECONDS = 60;

/** Seconds left before another code may be requested for a code sent at `sentAt`. */
function useCooldown(sentAt: string | undefined): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  if (!sentAt) return 0;
  return Math.max(0, Math.ceil((Date.parse(sentAt) + RESEND_SECONDS * 1000 - now) / 1000));
}

/**
 * The member's onboarding page (mobile first): information collection → phone
 * binding → agreement signing. Everything shown comes from the server, so the
 * same link on any device lands on the same stage with what was entered.
 */
export function OnboardingPage() {
  const { token } = useParams();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const base = `/api/onboarding/${token}`;
  const view = useQuery({
    queryKey: ['onboarding', token],
    queryFn: () => api<View>('GET', base),
    // 认证中: the page looks again every few seconds until the verdict is in.
    refetchInterval: (q) => (q.state.data?.verification?.pending ? 5_000 : false),
  });
  const [busy, setBusy] = useState(false);

  /** Sends one action; the answer is the new view of the page. */
  const send = async (path: string, body?: unknown): Promise<boolean> => {
    setBusy(true);
    try {
      const next = await api<View | CodeSent>('POST', `${base}/${path}`, body);
      if ('stage' in next) queryClient.setQueryData(['onboarding', token], next);
      else await view.refetch();
      return true;
    } catch (e) {
      const err = e as ApiError;
      // 企业信息核验未通过 may send the member back to 企业基本信息: the page shows the step the flow is at.
      if (err.id === 'onboarding.link_expired' || err.id === 'onboarding.device_unverified' || err.id === 'verification.enterprise_failed')
        await view.refetch();
      message.error(err.message);
      return false;
    } finally {
      setBusy(false);
    }
  };

  let content: ReactNode;
  if (view.isLoading) content = <Spin style={{ display: 'block', margin: '80px auto' }} />;
  else if (view.error) {
    const err = view.error as ApiError;
    content =
      err.id === 'onboarding.link_expired' ? (
        <Result status="warning" title="开户链接已过期" subTitle="该链接已超过7天有效期，请联系平台重新发起开户。" />
      ) : err.id === 'onboarding.link_invalid' ? (
        <Result status="404" title="开户链接无效" subTitle="链接不存在或已被平台重新生成，请使用最新的链接。" />
      ) : (
        <Result status="error" title="页面加载失败" subTitle={err.message} />
      );
  } else {
    const v = view.data!;
    content = (
      <>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {v.applicationName} · {v.memberType === 'ENTERPRISE' ? '企业会员开户' : '个人会员开户'}
        </Typography.Title>
        <Steps
          size="small"
          direction="horizontal"
          responsive={false}
          current={STAGE_INDEX[v.stage]}
          items={[{ title: v.stage === 'CONFIRMATION' ? '确认信息' : '信息采集' }, { title: '手机绑定' }, { title: '协议签约' }]}
          style={{ marginBottom: 16 }}
        />
        {v.stage !== 'COMPLETED' && (
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            链接有效期至 {formatTime(v.expiresAt)}，期间可随时离开，再次打开本链接将回到当前步骤。
          </Typography.Paragraph>
        )}
        {v.stage === 'COMPLETED' ? (
          <Result status="success" title="开户完成" subTitle="信息采集、手机绑定和协议签约均已完成，您可以关闭本页面。" />
        ) : !v.deviceVerified ? (
          <DeviceCheck phone={v.verificationPhone} busy={busy} send={send} />
        ) : v.stage === 'CONFIRMATION' ? (
          <Card size="small" title="确认开户信息">
            <Typography.Paragraph>
              {v.applicationName}已为您代为录入开户信息（见下方）。请核对无误后确认开户，随后将向您的手机发送绑定验证码。
            </Typography.Paragraph>
            <PersonalInformationNotice />
            <Form onFinish={(x: Record<string, unknown>) => void send('confirmation', withConsent(x))}>
              <ConsentCheckbox />
              <Button type="primary" htmlType="submit" block loading={busy}>
                信息无误，确认开户
              </Button>
            </Form>
          </Card>
        ) : v.stage === 'INFORMATION' ? (
          v.verification?.pending ? (
            <Result
              status="info"
              icon={<Spin size="large" />}
              title="认证中"
              subTitle={`认证服务暂时繁忙，您提交的${v.memberType === 'INDIVIDUAL' ? '实名信息' : '企业信息'}已保存，系统正在自动重试。认证完成后本页将自动进入下一步，您也可以先离开，稍后再打开本链接；等待期间开户链接不会过期。`}
            />
          ) : v.memberType === 'INDIVIDUAL' ? (
            <RealNameForm busy={busy} send={send} note={v.verification?.note ?? null} />
          ) : (
            <EnterpriseInformation v={v} busy={busy} send={send} token={token!} />
          )
        ) : v.stage === 'PHONE_BINDING' ? (
          <PhoneBinding v={v} busy={busy} send={send} />
        ) : (
          <AgreementSigning v={v} busy={busy} send={send} />
        )}
        {v.deviceVerified && v.entered && <Entered v={v} />}
      </>
    );
  }
  return <div style={{ maxWidth: 480, margin: '0 auto', padding: 16, minHeight: '100vh', background: '#fff' }}>{content}</div>;
}

type Send = (path: string, body?: unknown) => Promise<boolean>;

function DeviceCheck({ phone, busy, send }: { phone: string | null; busy: boolean; send: Send }) {
  const [sentAt, setSentAt] = useState<string>();
  const cooldown = useCooldown(sentAt);
  return (
    <Card size="small" title="新设备验证">
      <Alert type="info" showIcon style={{ marginBottom: 12 }} message={`为保护您已填写的信息，请验证手机 ${phone ?? ''} 收到的短信验证码后继续。`} />
      <Form layout="vertical" onFinish={(v: { code: string }) => void send('device-verification', v)}>
        <Form.Item label="短信验证码" name="code" rules={[zodRule(codeSchema.shape.code)]}>
          <Input
            inputMode="numeric"
            maxLength={6}
            addonAfter={
              <a
                onClick={async () => {
                  if (cooldown > 0) return;
                  if (await send('device-code')) setSentAt(new Date().toISOString());
                }}
              >
                {cooldown > 0 ? `${cooldown}秒后重发` : '获取验证码'}
              </a>
            }
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>
          验证并继续
        </Button>
      </Form>
    </Card>
  );
}

interface Field {
  name: string;
  label: string;
  schema: ZodType;
  input: ReactNode;
}

/** One information-collection form: fields checked with the API's own schema, then sent. */
/**
 * PIPL: the collection notice, shown before sensitive personal information is entered, and the
 * separate consent the member ticks itself; the form sends it with the step (recorded by the API).
 */
function PersonalInformationNotice() {
  return (
    <Alert
      type="info"
      style={{ marginBottom: 12, fontSize: 12 }}
      data-testid="personal-information-notice"
      message="个人信息收集告知"
      description={
        <Typography.Paragraph style={{ whiteSpace: 'pre-line', fontSize: 12, marginBottom: 0 }} ellipsis={{ rows: 3, expandable: true, symbol: '展开全文' }}>
          {PERSONAL_INFORMATION_CONSENT.notice}
        </Typography.Paragraph>
      }
    />
  );
}

function ConsentCheckbox() {
  return (
    <Form.Item
      name="sensitiveConsent"
      valuePropName="checked"
      rules={[{ validator: (_, v) => (v ? Promise.resolve() : Promise.reject(new Error('请阅读《个人信息收集告知》并勾选敏感个人信息处理授权'))) }]}
    >
      <Checkbox data-testid="sensitive-consent">{PERSONAL_INFORMATION_CONSENT.sensitiveConsent}</Checkbox>
    </Form.Item>
  );
}

/** What the API takes with a step that collects sensitive personal information. */
const withConsent = ({ sensitiveConsent: _ticked, ...values }: Record<string, unknown>) => ({
  ...values,
  consent: { version: PERSONAL_INFORMATION_CONSENT.version, sensitive: true },
});

function FieldsForm(props: {
  title: string;
  note?: string;
  warning?: string | null;
  fields: Field[];
  submitText: string;
  busy: boolean;
  /** The step collects sensitive personal information: the notice above, the consent to tick below. */
  consent?: boolean;
  onFinish: (values: Record<string, unknown>) => void;
}) {
  return (
    <Card size="small" title={props.title}>
      {props.warning && <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={props.warning} />}
      {props.note && <Alert type="info" showIcon style={{ marginBottom: 12 }} message={props.note} />}
      {props.consent && <PersonalInformationNotice />}
      <Form layout="vertical" onFinish={(v: Record<string, unknown>) => props.onFinish(props.consent ? withConsent(v) : v)}>
        {props.fields.map((f) => (
          <Form.Item key={f.name} label={f.label} name={f.name} rules={[zodRule(f.schema)]}>
            {f.input}
          </Form.Item>
        ))}
        {props.consent && <ConsentCheckbox />}
        <Button type="primary" htmlType="submit" block loading={props.busy}>
          {props.submitText}
        </Button>
      </Form>
    </Card>
  );
}

function RealNameForm({ busy, send, note }: { busy: boolean; send: Send; note: string | null }) {
  const f = realNameSchema.shape;
  return (
    <FieldsForm
      title="实名信息采集"
      warning={note}
      note="将通过银行卡四要素（姓名、身份证号、银行卡号、银行预留手机号）进行认证。"
      submitText="提交认证"
      busy={busy}
      consent
      onFinish={(v) => void send('real-name', v)}
      fields={[
        { name: 'name', label: '姓名', schema: f.name, input: <Input autoComplete="name" /> },
        { name: 'idNumber', label: '身份证号', schema: f.idNumber, input: <Input maxLength={18} /> },
        { name: 'cardNumber', label: '银行卡号', schema: f.cardNumber, input: <Input inputMode="numeric" maxLength={23} /> },
        { name: 'phone', label: '银行预留手机号', schema: f.phone, input: <Input inputMode="tel" maxLength={11} /> },
      ]}
    />
  );
}

const UPLOAD_KINDS = [
  { kind: 'BUSINESS_LICENCE', label: '营业执照' },
  { kind: 'ID_FRONT', label: '法人身份证人像面' },
  { kind: 'ID_BACK', label: '法人身份证国徽面' },
] as const;

function EnterpriseInformation({ v, busy, send, token }: { v: View; busy: boolean; send: Send; token: string }) {
  const { message } = App.useApp();
  const uploaded = Object.fromEntries((v.entered?.uploads ?? []).map((u) => [u.kind, u.id]));
  const [ids, setIds] = useState<Record<string, string>>(uploaded);
  if (v.nextStep === 'COMPANY') {
    const f = companySchema.shape;
    return (
      <FieldsForm
        title="企业基本信息"
        warning={v.verification?.note ?? null}
        submitText="下一步"
        busy={busy}
        onFinish={(x) => void send('company', x)}
        fields={[
          { name: 'name', label: '企业名称', schema: f.name, input: <Input /> },
          { name: 'creditCode', label: '统一社会信用代码', schema: f.creditCode, input: <Input maxLength={18} /> },
          { name: 'address', label: '企业地址', schema: f.address, input: <Input /> },
          { name: 'businessScope', label: '经营范围', schema: f.businessScope, input: <Input.TextArea rows={3} /> },
        ]}
      />
    );
  }
  if (v.nextStep === 'LEGAL_REPRESENTATIVE') {
    const f = legalRepresentativeSchema.shape;
    return (
      <FieldsForm
        title="法人信息"
        warning={v.verification?.note ?? null}
        consent
        submitText="下一步"
        busy={busy}
        onFinish={(x) => void send('legal-representative', x)}
        fields={[
          { name: 'name', label: '法人姓名', schema: f.name, input: <Input /> },
          { name: 'idNumber', label: '法人身份证号', schema: f.idNumber, input: <Input maxLength={18} /> },
          { name: 'phone', label: '法人手机号', schema: f.phone, input: <Input inputMode="tel" maxLength={11} /> },
        ]}
      />
    );
  }
  const ready = UPLOAD_KINDS.every((k) => ids[k.kind]);
  return (
    <Card size="small" title="证照上传">
      <Typography.Paragraph type="secondary">支持 JPG、PNG 图片，单个文件不超过 5MB。</Typography.Paragraph>
      <Space direction="vertical" style={{ width: '100%' }}>
        {UPLOAD_KINDS.map(({ kind, label }) => (
          <Space key={kind} style={{ justifyContent: 'space-between', width: '100%' }}>
            <span>
              {label} {ids[kind] ? <Typography.Text type="success">已上传</Typography.Text> : null}
            </span>
            <Upload
              accept="image/jpeg,image/png"
              showUploadList={false}
              customRequest={async ({ file, onSuccess, onError }) => {
                const body = new FormData();
                body.append('kind', kind);
                body.append('file', file as Blob);
                try {
                  const res = await api<{ id: string }>('POST', `/api/onboarding/${token}/uploads`, body);
                  setIds((prev) => ({ ...prev, [kind]: res.id }));
                  onSuccess?.(res);
                } catch (e) {
                  message.error((e as Error).message);
                  onError?.(e as Error);
                }
              }}
            >
              <Button size="small" data-testid={`upload-${kind}`}>
                {ids[kind] ? '重新上传' : '选择图片'}
              </Button>
            </Upload>
          </Space>
        ))}
        <Button
          type="primary"
          block
          disabled={!ready}
          loading={busy}
          onClick={() =>
            void send('licences', {
              businessLicenceUploadId: ids.BUSINESS_LICENCE,
              idFrontUploadId: ids.ID_FRONT,
              idBackUploadId: ids.ID_BACK,
            })
          }
        >
          提交证照
        </Button>
      </Space>
    </Card>
  );
}

function PhoneBinding({ v, busy, send }: { v: View; busy: boolean; send: Send }) {
  const [form] = Form.useForm();
  const source = Form.useWatch('source', form) ?? 'ON_FILE';
  const cooldown = useCooldown(v.codes?.phoneBinding?.sentAt);
  const onFileLabel = v.memberType === 'ENTERPRISE' ? '法人手机号' : '银行预留手机号';
  const requestCode = async () => {
    if (cooldown > 0) return;
    if (source === 'AUTHORISED') {
      try {
        await form.validateFields(['phone']);
      } catch {
        return;
      }
    }
    const phone = form.getFieldValue('phone') as string | undefined;
    await send('phone-code', source === 'AUTHORISED' ? { source, phone } : { source });
  };
  return (
    <Card size="small" title="手机号绑定">
      <Form
        form={form}
        layout="vertical"
        initialValues={{ source: 'ON_FILE' }}
        onFinish={(x: { code: string }) => void send('phone-binding', { code: x.code })}
      >
        <Form.Item label="绑定手机" name="source">
          <Radio.Group>
            <Radio value="ON_FILE">
              {onFileLabel} {v.entered?.phoneOnFile}
            </Radio>
            <Radio value="AUTHORISED">授权手机号</Radio>
          </Radio.Group>
        </Form.Item>
        {source === 'AUTHORISED' && (
          <Form.Item label="授权手机号" name="phone" rules={[zodRule(legalRepresentativeSchema.shape.phone)]}>
            <Input inputMode="tel" maxLength={11} />
          </Form.Item>
        )}
        {v.codes?.phoneBinding && (
          <Alert type="success" showIcon style={{ marginBottom: 12 }} message={`验证码已发送至 ${v.codes.phoneBinding.sentTo}，10分钟内有效`} />
        )}
        <Form.Item label="短信验证码" name="code" rules={[zodRule(codeSchema.shape.code)]}>
          <Input
            inputMode="numeric"
            maxLength={6}
            addonAfter={<a onClick={() => void requestCode()}>{cooldown > 0 ? `${cooldown}秒后重发` : '获取验证码'}</a>}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>
          绑定手机
        </Button>
      </Form>
    </Card>
  );
}

function AgreementSigning({ v, busy, send }: { v: View; busy: boolean; send: Send }) {
  const cooldown = useCooldown(v.codes?.signing?.sentAt);
  return (
    <Card size="small" title="协议签约">
      {v.agreements.map((a) => (
        <div key={a.kind}>
          <Typography.Title level={5}>{a.title}</Typography.Title>
          <div style={{ maxHeight: 200, overflow: 'auto', whiteSpace: 'pre-wrap', background: '#fafafa', padding: 12, fontSize: 13, marginBottom: 12 }}>
            {a.text}
          </div>
        </div>
      ))}
      {v.codes?.signing ? (
        <Alert type="success" showIcon style={{ marginBottom: 12 }} message={`签约验证码已发送至 ${v.codes.signing.sentTo}，10分钟内有效`} />
      ) : (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} message="签约验证码尚未发送成功，请点击获取验证码" />
      )}
      <Form layout="vertical" onFinish={(x: { code: string }) => void send('agreement-signature', { code: x.code })}>
        <Form.Item label="短信验证码" name="code" rules={[zodRule(codeSchema.shape.code)]}>
          <Input
            inputMode="numeric"
            maxLength={6}
            addonAfter={<a onClick={() => cooldown === 0 && void send('signing-code')}>{cooldown > 0 ? `${cooldown}秒后重发` : '重新获取'}</a>}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>
          同意协议并签署
        </Button>
      </Form>
    </Card>
  );
}

function Entered({ v }: { v: View }) {
  const e = v.entered!;
  const rows: [string, string | null | undefined][] = [];
  if (e.realName) rows.push(['姓名', e.realName.name], ['身份证号', e.realName.idNumber], ['银行卡号', e.realName.cardNumber], ['预留手机', e.realName.phone]);
  if (e.company) rows.push(['企业名称', e.company.name], ['信用代码', e.company.creditCode]);
  if (e.legalRepresentative)
    rows.push(['法人', e.legalRepresentative.name], ['法人证件号', e.legalRepresentative.idNumber], ['法人手机', e.legalRepresentative.phone]);
  if (e.uploads.length) rows.push(['已上传证照', `${e.uploads.length} 张`]);
  if (e.boundPhone) rows.push(['绑定手机', e.boundPhone]);
  if (rows.length === 0) return null;
  return (
    <Card size="small" title="已填写信息" style={{ marginTop: 16 }} data-testid="entered">
      <Descriptions column={1} size="small">
        {rows.map(([label, value]) => (
          <Descriptions.Item key={label} label={label}>
            {value ?? '-'}
          </Descriptions.Item>
        ))}
      </Descriptions>
    </Card>
  );
}
