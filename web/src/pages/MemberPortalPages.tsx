import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, Radio, Select, Space, Steps, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { ConsentRecords, type PersonalInformationConsents, WithdrawConsentButton } from '../components/ConsentRecords';
import { api } from '../api';
import { formatTime } from '../labels';
import { AccountDetail } from './AccountsPage';

interface Choice {
  id: string;
  name: string;
  type: string;
  application: { appNo: string; name: string };
  setUp: boolean;
}

interface MyInformation {
  login: { method: 'PHONE' | 'PASSWORD'; username: string | null };
  member: {
    bizUserId: string;
    name: string;
    type: string;
    idNumber: string | null;
    boundPhone: string | null;
    application: { appNo: string; name: string };
    realNameVerifiedAt: string | null;
  };
  bankCards: { id: string; cardNumber: string; corporate: boolean; reservedPhone: string; verifiedAt: string }[];
  pendingSettlementBalance: string;
  accounts: { id: string; accountNo: string; kind: string; kindLabel: string; balance: string }[];
  autoWithdrawal: string;
  personalInformation: PersonalInformationConsents;
}

/** Phone + SMS code, with the 60-second wait the API enforces shown on the button. */
function PhoneCodeFields(props: { sendPath: string }) {
  const { message } = App.useApp();
  const form = Form.useFormInstance();
  const [wait, setWait] = useState(0);
  const send = useMutation({
    mutationFn: (phone: string) => api<{ message: string }>('POST', props.sendPath, { phone }),
    onSuccess: (r) => {
      message.success(r.message);
      setWait(60);
      const t = setInterval(() => setWait((w) => (w <= 1 ? (clearInterval(t), 0) : w - 1)), 1000);
    },
    onError: (e: Error) => message.error(e.message),
  });
  return (
    <>
      <Form.Item label="绑定手机号" name="phone" rules={[{ required: true, pattern: /^1[3-9]\d{9}$/, message: '请输入11位手机号' }]}>
        <Input maxLength={11} />
      </Form.Item>
      <Form.Item label="短信验证码" required>
        <Space.Compact style={{ width: '100%' }}>
          <Form.Item name="code" noStyle rules={[{ required: true, pattern: /^\d{6}$/, message: '请输入6位验证码' }]}>
            <Input maxLength={6} />
          </Form.Item>
          <Button
            disabled={wait > 0}
            loading={send.isPending}
            onClick={() =>
              form
                .validateFields(['phone'])
                .then((v) => send.mutate(v.phone))
                .catch(() => undefined)
            }
          >
            {wait > 0 ? `${wait}秒后重发` : '获取验证码'}
          </Button>
        </Space.Compact>
      </Form.Item>
    </>
  );
}

/**
 * 会员门户登录: 手机号登录 (a member who chose phone login), and 首次登录 —
 * prove the bound phone, choose which of its members to set up (set-up ones are
 * shown, not selectable), choose username + password or phone login (not offered
 * when the phone already logs in another member), confirm, then sign in with it.
 */
export function MemberLoginPage() {
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [choices, setChoices] = useState<{ members: Choice[]; phoneLoginTaken: boolean } | null>(null);
  const [mode, setMode] = useState<'PASSWORD' | 'PHONE'>('PASSWORD');
  const [tab, setTab] = useState<'phone' | 'first'>('phone');
  const done = () => {
    queryClient.clear();
    void navigate('/member');
  };
  const phoneLogin = useMutation({
    mutationFn: (v: { phone: string; code: string }) => api('POST', '/api/member-portal/phone-login', v),
    onSuccess: done,
    onError: (e: Error) => message.error(e.message),
  });
  const verify = useMutation({
    mutationFn: (v: { phone: string; code: string }) =>
      api<{ members: Choice[]; phoneLoginTaken: boolean }>('POST', '/api/member-portal/first-login/verify', v),
    onSuccess: (r) => {
      setChoices(r);
      if (r.phoneLoginTaken) setMode('PASSWORD');
    },
    onError: (e: Error) => message.error(e.message),
  });
  const setup = useMutation({
    mutationFn: (v: Record<string, unknown>) =>
      api<{ login: { method: 'PASSWORD' | 'PHONE'; username: string | null } }>('POST', '/api/member-portal/first-login/setup', { ...v, mode }),
    // 2.2.3: set up, the member goes back to the login page and signs in with what it chose.
    onSuccess: (r) => {
      setChoices(null);
      if (r.login.method === 'PASSWORD') {
        message.success(`会员门户已开通，请使用用户名 ${r.login.username} 登录`);
        void navigate('/login');
      } else {
        message.success('会员门户已开通，请使用绑定手机号登录');
        setTab('phone');
      }
    },
    onError: (e: Error) => message.error(e.message),
  });
  const confirmSetup = (v: { memberId: string; username?: string }) => {
    const member = choices?.members.find((m) => m.id === v.memberId);
    modal.confirm({
      title: '确认开通会员门户',
      content: (
        <div data-testid="setup-confirmation">
          <div>会员：{member ? `${member.name}（${member.application.name}）` : '-'}</div>
          <div>登录方式：{mode === 'PASSWORD' ? `用户名登录（${v.username}）` : '绑定手机号登录'}</div>
          <div>开通后将返回登录页，请使用该方式登录。</div>
        </div>
      ),
      okText: '确认开通',
      cancelText: '返回修改',
      onOk: () => setup.mutateAsync(v).catch(() => undefined),
    });
  };
  const selectable = choices?.members.filter((m) => !m.setUp) ?? [];
  return (
    <div style={{ maxWidth: 520, margin: '48px auto', padding: 16 }}>
      <Card title="会员门户">
        <Tabs
          activeKey={tab}
          onChange={(k) => setTab(k as 'phone' | 'first')}
          items={[
            {
              key: 'phone',
              label: '手机号登录',
              children: (
                <Form name="phoneLogin" layout="vertical" onFinish={(v) => phoneLogin.mutate(v)}>
                  <PhoneCodeFields sendPath="/api/member-portal/phone-login/code" />
                  <Button type="primary" htmlType="submit" block loading={phoneLogin.isPending}>
                    登录
                  </Button>
                  <div style={{ marginTop: 12 }}>
                    已设置用户名密码？<Link to="/login">账号密码登录</Link>
                  </div>
                </Form>
              ),
            },
            {
              key: 'first',
              label: '首次登录',
              children: (
                <>
                  <Steps
                    size="small"
                    current={choices ? 1 : 0}
                    items={[{ title: '验证绑定手机' }, { title: '选择会员与登录方式' }]}
                    style={{ marginBottom: 16 }}
                  />
                  {!choices ? (
                    <Form name="firstLogin" layout="vertical" onFinish={(v) => verify.mutate(v)}>
                      <Alert
                        type="info"
                        showIcon
                        style={{ marginBottom: 12 }}
                        message="账后结算应用下已实名认证并绑定手机号的会员，可用绑定手机号开通会员门户。"
                      />
                      <PhoneCodeFields sendPath="/api/member-portal/first-login/code" />
                      <Button type="primary" htmlType="submit" block loading={verify.isPending}>
                        下一步
                      </Button>
                    </Form>
                  ) : choices.members.length === 0 ? (
                    <Alert type="warning" showIcon message="该手机号没有可开通会员门户的会员（须为账后结算应用下已实名认证、绑定该手机号的会员）。" />
                  ) : (
                    <Form name="setup" layout="vertical" onFinish={confirmSetup}>
                      <Form.Item label="选择要开通的会员" name="memberId" rules={[{ required: true, message: '请选择会员' }]}>
                        <Radio.Group>
                          <Space direction="vertical">
                            {choices.members.map((m) => (
                              <Radio key={m.id} value={m.id} disabled={m.setUp}>
                                {m.name}（{m.application.name}）{m.setUp && <Tag style={{ marginLeft: 8 }}>已开通</Tag>}
                              </Radio>
                            ))}
                          </Space>
                        </Radio.Group>
                      </Form.Item>
                      <Form.Item label="登录方式">
                        <Radio.Group value={mode} onChange={(e) => setMode(e.target.value)}>
                          <Radio value="PASSWORD">用户名登录（用户名+密码）</Radio>
                          {/* A phone logs in one member only: once it does, the option is not offered at all. */}
                          {!choices.phoneLoginTaken && <Radio value="PHONE">绑定手机号登录</Radio>}
                        </Radio.Group>
                      </Form.Item>
                      {mode === 'PASSWORD' && (
                        <>
                          <Form.Item
                            label="用户名"
                            name="username"
                            rules={[{ required: true, pattern: /^[A-Za-z][A-Za-z0-9_]{3,31}$/, message: '4到32位字母、数字或下划线，以字母开头' }]}
                          >
                            <Input maxLength={32} />
                          </Form.Item>
                          <Form.Item
                            label="登录密码"
                            name="password"
                            rules={[{ required: true, min: 8, message: '至少8位，含大写、小写、数字、符号中的三类' }]}
                          >
                            <Input.Password maxLength={64} />
                          </Form.Item>
                        </>
                      )}
                      <Button type="primary" htmlType="submit" block disabled={selectable.length === 0} loading={setup.isPending}>
                        开通
                      </Button>
                    </Form>
                  )}
                </>
              ),
            },
          ]}
        />
      </Card>
    </div>
  );
}

/** 我的信息. */
export function MyInformationPage() {
  const me = useQuery({ queryKey: ['member-me'], queryFn: () => api<MyInformation>('GET', '/api/member-portal/me') });
  const d = me.data;
  if (!d) return <Card loading title="我的信息" />;
  return (
    <Card title="我的信息">
      <Descriptions bordered size="small" column={2}>
        <Descriptions.Item label="登录方式">{d.login.method === 'PHONE' ? '手机号登录' : `用户名登录（${d.login.username}）`}</Descriptions.Item>
        <Descriptions.Item label="所属应用">
          {d.member.application.name}（{d.member.application.appNo}）
        </Descriptions.Item>
        <Descriptions.Item label="会员名称">{d.member.name}</Descriptions.Item>
        <Descriptions.Item label="会员编号">{d.member.bizUserId}</Descriptions.Item>
        <Descriptions.Item label="证件号">{d.member.idNumber ?? '-'}</Descriptions.Item>
        <Descriptions.Item label="绑定手机">{d.member.boundPhone ?? '-'}</Descriptions.Item>
        <Descriptions.Item label="实名认证">{d.member.realNameVerifiedAt ? formatTime(d.member.realNameVerifiedAt) : '未认证'}</Descriptions.Item>
        <Descriptions.Item label="待结算余额（元）">
          <span data-testid="pending-balance">{d.pendingSettlementBalance}</span>
        </Descriptions.Item>
        <Descriptions.Item label="自动提现设置" span={2}>
          {d.autoWithdrawal}
        </Descriptions.Item>
      </Descriptions>
      <Table
        style={{ marginTop: 16 }}
        title={() => '银行卡'}
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={d.bankCards}
        locale={{ emptyText: '未绑定银行卡' }}
        columns={[
          { title: '卡号', dataIndex: 'cardNumber' },
          { title: '类型', dataIndex: 'corporate', render: (c: boolean) => (c ? '对公账户' : '个人银行卡') },
          { title: '预留手机', dataIndex: 'reservedPhone' },
          { title: '绑定时间', dataIndex: 'verifiedAt', render: formatTime },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 20 }}>
        个人信息授权
      </Typography.Title>
      <ConsentRecords info={d.personalInformation} />
      {!d.personalInformation.withdrawnAt && (
        <WithdrawConsentButton label="撤回授权" path="/api/member-portal/consent-withdrawal" onDone={() => void me.refetch()} />
      )}
    </Card>
  );
}

/** 账户明细: the member's own accounts, with details and download. */
export function MyMovementsPage() {
  const me = useQuery({ queryKey: ['member-me'], queryFn: () => api<MyInformation>('GET', '/api/member-portal/me') });
  const [accountId, setAccountId] = useState<string | null>(null);
  const accounts = me.data?.accounts ?? [];
  const chosen = accountId ?? accounts.find((a) => a.kind === 'PAYMENT')?.id ?? accounts[0]?.id ?? null;
  return (
    <Card title="账户明细" loading={me.isLoading}>
      <Space style={{ marginBottom: 12 }}>
        <span>账户：</span>
        <Select
          style={{ width: 360 }}
          value={chosen}
          onChange={setAccountId}
          options={accounts.map((a) => ({ value: a.id, label: `${a.kindLabel} ${a.accountNo}（余额 ${a.balance} 元）` }))}
        />
      </Space>
      {chosen ? (
        <AccountDetail key={chosen} account={{ id: chosen }} base="/api/member-portal/accounts" balancesTab={false} />
      ) : (
        <Alert type="info" message="暂无账户" />
      )}
    </Card>
  );
}
