import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Empty, Form, Input, Modal, Select, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { useMe } from '../components/PortalLayout';
import { api, type OnboardingLink } from '../api';
import { LinkModal } from '../components/LinkModal';
import { ConsentRecords, type PersonalInformationConsents, WithdrawConsentButton } from '../components/ConsentRecords';
import { MEMBER_STATUS, STAGE_COLORS, STAGE_LABELS, STEP_LABELS, formatTime } from '../labels';

type Stage = keyof typeof STAGE_LABELS;
interface MemberDetail {
  id: string;
  bizUserId: string;
  type: 'INDIVIDUAL' | 'ENTERPRISE';
  status: string;
  displayName: string;
  createdAt: string;
  personName: string | null;
  idNumber: string | null;
  realNameVerifiedAt: string | null;
  company: { name: string; creditCode: string; address: string; businessScope: string } | null;
  legalPhone: string | null;
  boundPhone: string | null;
  bankCards: { id: string; cardNumber: string; reservedPhone: string | null; corporate: boolean; bankName: string | null; verifiedAt: string }[];
  agreements: { id: string; title: string; version: string; signMethod: string; signedPhone: string; signedAt: string }[];
  photos: { id: string; kind: keyof typeof PHOTO_LABELS; mimeType: string; size: number; uploadedAt: string }[];
  personalInformation: PersonalInformationConsents;
  accounts: { id: string; accountNo: string; kind: string; kindLabel: string; balance: string; agreement: string | null; openedAt: string }[];
  autoWithdrawal: { time: string; cardId: string; cardNumber: string | null } | null;
  onboardings: {
    id: string;
    attempt: number;
    stage: Stage;
    stepsDone: (keyof typeof STEP_LABELS)[];
    waitingFor: string;
    workflowId: string;
    expiresAt: string;
    createdAt: string;
    completedAt: string | null;
    active: boolean;
    history: { stage: Stage; kind: string; note: string; at: string }[];
  }[];
}

/** 会员详情: identity (masked), cards, agreements, and every onboarding attempt with its history. */
export function MemberDetailPage() {
  const { id } = useParams();
  const [link, setLink] = useState<OnboardingLink | null>(null);
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const detail = useQuery({ queryKey: ['member', id], queryFn: () => api<MemberDetail>('GET', `/api/members/${id}`) });
  const issue = useMutation({
    mutationFn: (kind: 'reissue' | 'rotate') =>
      api<{ link: OnboardingLink }>('POST', kind === 'reissue' ? `/api/members/${id}/onboarding` : `/api/members/${id}/onboarding/link`),
    onSuccess: (res) => {
      setLink(res.link);
      void queryClient.invalidateQueries({ queryKey: ['member', id] });
      void queryClient.invalidateQueries({ queryKey: ['members'] });
    },
    onError: (e: Error) => message.error(e.message),
  });
  const m = detail.data;
  if (detail.error)
    return (
      <Card>
        <Typography.Text type="danger">{detail.error.message}</Typography.Text>
      </Card>
    );
  if (!m) return <Card loading />;
  const latest = m.onboardings[0];
  const enterprise = m.type === 'ENTERPRISE';
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Card
        title={`会员详情 · ${m.displayName}`}
        extra={
          <Space>
            {latest?.active && (
              <Button onClick={() => issue.mutate('rotate')} loading={issue.isPending}>
                重新生成链接
              </Button>
            )}
            {latest && !latest.active && latest.stage !== 'COMPLETED' && (
              <Button type="primary" onClick={() => issue.mutate('reissue')} loading={issue.isPending}>
                重新发起开户
              </Button>
            )}
          </Space>
        }
      >
        <Descriptions column={2} bordered size="small">
          <Descriptions.Item label="会员编号">{m.bizUserId}</Descriptions.Item>
          <Descriptions.Item label="会员类型">{enterprise ? '企业会员' : '个人会员'}</Descriptions.Item>
          <Descriptions.Item label="会员状态">
            <Tag color={MEMBER_STATUS[m.status]?.color} data-testid="member-status">
              {MEMBER_STATUS[m.status]?.text ?? m.status}
            </Tag>
          </Descriptions.Item>
          <Descriptions.Item label="创建时间">{formatTime(m.createdAt)}</Descriptions.Item>
          {enterprise && (
            <>
              <Descriptions.Item label="企业名称">{m.company?.name ?? '-'}</Descriptions.Item>
              <Descriptions.Item label="统一社会信用代码">{m.company?.creditCode ?? '-'}</Descriptions.Item>
              <Descriptions.Item label="企业地址">{m.company?.address ?? '-'}</Descriptions.Item>
              <Descriptions.Item label="经营范围">{m.company?.businessScope ?? '-'}</Descriptions.Item>
              <Descriptions.Item label="法人姓名">{m.personName ?? '-'}</Descriptions.Item>
              <Descriptions.Item label="法人手机">{m.legalPhone ?? '-'}</Descriptions.Item>
            </>
          )}
          {!enterprise && <Descriptions.Item label="姓名">{m.personName ?? '-'}</Descriptions.Item>}
          <Descriptions.Item label={enterprise ? '法人证件号' : '身份证号'}>{m.idNumber ?? '-'}</Descriptions.Item>
          <Descriptions.Item label="绑定手机">{m.boundPhone ?? '-'}</Descriptions.Item>
          <Descriptions.Item label="实名认证时间">{formatTime(m.realNameVerifiedAt)}</Descriptions.Item>
        </Descriptions>
      </Card>

      <Card title="开户流程">
        {m.onboardings.map((o) => (
          <Card
            key={o.id}
            type="inner"
            style={{ marginBottom: 12 }}
            title={
              <Space>
                <span>第 {o.attempt} 次开户</span>
                <Tag color={STAGE_COLORS[o.stage]} data-testid={`onboarding-stage-${o.attempt}`}>
                  {STAGE_LABELS[o.stage]}
                </Tag>
              </Space>
            }
            extra={<Typography.Text type="secondary">链接有效期至 {formatTime(o.expiresAt)}</Typography.Text>}
          >
            <Descriptions size="small" column={2} style={{ marginBottom: 12 }}>
              <Descriptions.Item label="等待">{o.waitingFor === 'member' ? '会员操作' : '无'}</Descriptions.Item>
              <Descriptions.Item label="已完成信息采集">{o.stepsDone.map((s) => STEP_LABELS[s]).join('、') || '-'}</Descriptions.Item>
              <Descriptions.Item label="流程编号">
                <Typography.Text code copyable>
                  {o.workflowId}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label="完成时间">{formatTime(o.completedAt)}</Descriptions.Item>
            </Descriptions>
            <Timeline
              items={o.history.map((e) => ({
                color: STAGE_COLORS[e.stage] === 'default' ? 'gray' : STAGE_COLORS[e.stage],
                children: (
                  <>
                    <Typography.Text strong>{formatTime(e.at)}</Typography.Text> {e.note}
                  </>
                ),
              }))}
            />
          </Card>
        ))}
      </Card>

      <Card title="银行卡">
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={m.bankCards}
          locale={{ emptyText: <Empty description="暂无绑定银行卡" /> }}
          columns={[
            { title: '卡号', dataIndex: 'cardNumber' },
            { title: '类型', dataIndex: 'corporate', render: (c: boolean) => (c ? <Tag color="blue">对公户</Tag> : <Tag>对私户</Tag>) },
            { title: '开户银行', dataIndex: 'bankName', render: (v: string | null) => v ?? '-' },
            { title: '银行预留手机', dataIndex: 'reservedPhone', render: (v: string | null) => v ?? '-' },
            { title: '验证时间', dataIndex: 'verifiedAt', render: formatTime },
          ]}
        />
      </Card>
      {m.type === 'ENTERPRISE' && <CorporateAccountsCard member={m} />}
      {m.photos.length > 0 && <PhotosCard member={m} />}
      <Card title="个人信息授权">
        <ConsentRecords info={m.personalInformation} />
        {!m.personalInformation.withdrawnAt && (
          <WithdrawConsentButton
            label="登记会员撤回授权"
            path={`/api/members/${m.id}/consent-withdrawal`}
            onDone={() => void queryClient.invalidateQueries({ queryKey: ['member', m.id] })}
          />
        )}
      </Card>
      <Card title="会员协议">
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={m.agreements}
          locale={{ emptyText: <Empty description="暂无已签署协议" /> }}
          columns={[
            { title: '协议名称', dataIndex: 'title' },
            { title: '版本', dataIndex: 'version' },
            { title: '签约方式', dataIndex: 'signMethod', render: (v: string) => (v === 'PAPER' ? '线下签署' : '短信验证码') },
            { title: '签约手机', dataIndex: 'signedPhone' },
            { title: '签约时间', dataIndex: 'signedAt', render: formatTime },
          ]}
        />
      </Card>
      <Card title="会员账户">
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={m.accounts}
          locale={{ emptyText: <Empty description="开户完成（协议签约）后开立账户" /> }}
          columns={[
            { title: '账户号', dataIndex: 'accountNo' },
            { title: '账户类型', dataIndex: 'kindLabel' },
            { title: '余额(元)', dataIndex: 'balance', align: 'right' },
            { title: '开户协议', dataIndex: 'agreement', render: (v: string | null) => v ?? '-' },
            { title: '开立时间', dataIndex: 'openedAt', render: formatTime },
          ]}
        />
      </Card>
      <AutoWithdrawalCard member={m} />
      <LinkModal link={link} onClose={() => setLink(null)} />
    </Space>
  );
}

/** 提现设置: every day at the time, the member's available 支付账户 balance goes to the chosen card. */
function AutoWithdrawalCard({ member }: { member: MemberDetail }) {
  const { message } = App.useApp();
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: (v: { cardId: string; time: string } | null) =>
      v ? api('PUT', `/api/members/${member.id}/auto-withdrawal`, v) : api('DELETE', `/api/members/${member.id}/auto-withdrawal`),
    onSuccess: () => {
      message.success('提现设置已保存');
      void client.invalidateQueries({ queryKey: ['member', member.id] });
    },
    onError: (e: Error) => message.error(e.message),
  });
  const current = member.autoWithdrawal;
  return (
    <Card title="提现设置" extra={current ? `每日 ${current.time} 提现至 ${current.cardNumber ?? '-'}` : '未设置或平台方发起'}>
      <Form
        layout="inline"
        key={`${current?.cardId ?? ''}-${current?.time ?? ''}`}
        initialValues={{ cardId: current?.cardId, time: current?.time ?? '17:00' }}
        onFinish={(v: { cardId: string; time: string }) => save.mutate(v)}
      >
        <Form.Item name="cardId" label="提现银行卡" rules={[{ required: true, message: '请选择会员本人已验证的银行卡' }]}>
          <Select style={{ width: 240 }} options={member.bankCards.map((c) => ({ value: c.id, label: c.cardNumber }))} />
        </Form.Item>
        <Form.Item name="time" label="每日提现时间" rules={[{ required: true, pattern: /^([01]\d|2[0-3]):[0-5]\d$/, message: '时间须为 HH:mm' }]}>
          <Input style={{ width: 100 }} placeholder="HH:mm" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          保存
        </Button>
        {current && (
          <Button style={{ marginLeft: 8 }} onClick={() => save.mutate(null)} loading={save.isPending}>
            取消自动提现
          </Button>
        )}
      </Form>
    </Card>
  );
}

interface CorporateAccountVerification {
  id: string;
  accountNo: string;
  bankName: string;
  accountName: string;
  status: string;
  statusLabel: string;
  triesLeft: number;
  confirmBy: string | null;
  failureReason: string | null;
  createdAt: string;
}

const VERIFICATION_COLORS: Record<string, string> = {
  DEPOSITING: 'processing',
  AWAITING_CONFIRMATION: 'gold',
  VERIFIED: 'green',
  FAILED: 'red',
  EXPIRED: 'default',
  CANCELLED: 'default',
};

/** 对公户绑定: a small deposit to the company's account, confirmed by the amount the enterprise received. */
function CorporateAccountsCard({ member }: { member: MemberDetail }) {
  const { message } = App.useApp();
  const client = useQueryClient();
  const [confirming, setConfirming] = useState<CorporateAccountVerification | null>(null);
  const [amount, setAmount] = useState('');
  const list = useQuery({
    queryKey: ['corporate-accounts', member.id],
    queryFn: () => api<{ items: CorporateAccountVerification[] }>('GET', `/api/corporate-accounts?memberId=${member.id}`),
    // While a deposit is on its way the list looks again.
    refetchInterval: (q) => (q.state.data?.items.some((v) => v.status === 'DEPOSITING') ? 2_000 : false),
  });
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['corporate-accounts', member.id] });
    void client.invalidateQueries({ queryKey: ['member', member.id] });
  };
  const bind = useMutation({
    mutationFn: (v: { accountNo: string; bankName: string; accountName: string }) => api('POST', '/api/corporate-accounts', { memberId: member.id, ...v }),
    onSuccess: () => {
      message.success('已向该对公户小额打款，请企业查收后确认到账金额');
      refresh();
    },
    onError: (e: Error) => message.error(e.message),
  });
  const confirm = useMutation({
    mutationFn: () => api<CorporateAccountVerification>('POST', `/api/corporate-accounts/${confirming!.id}/confirmation`, { amount }),
    onSuccess: () => {
      message.success('金额正确，对公户已绑定');
      setConfirming(null);
      setAmount('');
      refresh();
    },
    onError: (e: Error) => {
      message.error(e.message);
      refresh();
    },
  });
  const verified = !!member.realNameVerifiedAt;
  // Embedded mode: the sandbox channel's statement shows what arrived (in production, the bank's own statement).
  const sandboxStatement = useMe().data?.links.sandboxBankStatement ?? null;
  return (
    <Card title="对公户绑定">
      {verified ? (
        <Form
          layout="inline"
          initialValues={{ accountName: member.company?.name }}
          onFinish={(v: { accountNo: string; bankName: string; accountName: string }) => bind.mutate(v)}
          style={{ marginBottom: 16, rowGap: 8 }}
        >
          <Form.Item name="accountNo" label="对公账号" rules={[{ required: true, pattern: /^[\d\s]{8,40}$/, message: '请填写8至32位数字账号' }]}>
            <Input style={{ width: 220 }} inputMode="numeric" />
          </Form.Item>
          <Form.Item name="bankName" label="开户银行" rules={[{ required: true, message: '请填写开户银行' }]}>
            <Input style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="accountName" label="户名" rules={[{ required: true, message: '户名须与企业名称一致' }]}>
            <Input style={{ width: 220 }} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={bind.isPending}>
            小额打款验证
          </Button>
        </Form>
      ) : (
        <Typography.Paragraph type="secondary">企业完成实名认证（企业信息核验）后可绑定对公户。</Typography.Paragraph>
      )}
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        户名须与企业名称一致。平台向该账户打款0.01至0.99元，企业须在到账后72小时内确认金额，最多尝试3次。
        {sandboxStatement && (
          <>
            {' '}
            <a href={sandboxStatement} target="_blank" rel="noreferrer">
              沙箱对公户入账流水
            </a>
          </>
        )}
      </Typography.Paragraph>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: <Empty description="暂无对公户验证" /> }}
        columns={[
          { title: '对公账号', dataIndex: 'accountNo' },
          { title: '开户银行', dataIndex: 'bankName' },
          {
            title: '状态',
            dataIndex: 'statusLabel',
            render: (v: string, r: CorporateAccountVerification) => <Tag color={VERIFICATION_COLORS[r.status]}>{v}</Tag>,
          },
          { title: '剩余次数', dataIndex: 'triesLeft' },
          { title: '确认截止', dataIndex: 'confirmBy', render: formatTime },
          { title: '说明', dataIndex: 'failureReason', render: (v: string | null) => v ?? '-' },
          {
            title: '操作',
            render: (_: unknown, r: CorporateAccountVerification) =>
              r.status === 'AWAITING_CONFIRMATION' ? <a onClick={() => setConfirming(r)}>确认打款金额</a> : null,
          },
        ]}
      />
      <Modal
        title={`确认打款金额 · ${confirming?.accountNo ?? ''}`}
        open={!!confirming}
        okText="确认"
        confirmLoading={confirm.isPending}
        onOk={() => confirm.mutate()}
        onCancel={() => setConfirming(null)}
      >
        <Typography.Paragraph>请填写企业在该对公户流水中看到的入账金额（元），还可尝试 {confirming?.triesLeft} 次。</Typography.Paragraph>
        <Input id="deposit-amount" prefix="¥" placeholder="0.00" value={amount} onChange={(e) => setAmount(e.target.value)} />
      </Modal>
    </Card>
  );
}

const PHOTO_LABELS = { BUSINESS_LICENCE: '营业执照', ID_FRONT: '法人身份证人像面', ID_BACK: '法人身份证国徽面' } as const;

/** 证照: the uploaded licence and ID photos; each one opened is a view the audit log keeps. */
function PhotosCard({ member }: { member: MemberDetail }) {
  const [open, setOpen] = useState<MemberDetail['photos'][number] | null>(null);
  return (
    <Card title="证照">
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        证照含个人敏感信息，每次查看均记录操作日志。
      </Typography.Paragraph>
      <Space wrap>
        {member.photos.map((p) => (
          <Button key={p.id} onClick={() => setOpen(p)}>
            查看{PHOTO_LABELS[p.kind] ?? p.kind}
          </Button>
        ))}
      </Space>
      <Modal open={!!open} title={open ? PHOTO_LABELS[open.kind] : ''} footer={null} onCancel={() => setOpen(null)} width={720} destroyOnHidden>
        {open && (
          <img src={`/api/members/${member.id}/photos/${open.id}`} alt={PHOTO_LABELS[open.kind]} style={{ maxWidth: '100%' }} data-testid="member-photo" />
        )}
      </Modal>
    </Card>
  );
}
