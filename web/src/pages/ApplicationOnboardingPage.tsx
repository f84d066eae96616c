import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Col, Descriptions, Form, Input, Modal, Row, Select, Space, Table, Tag, Tabs } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api } from '../api';
import { type ChecklistItemView, MaterialChecklist } from '../components/MaterialChecklist';
import { usePagedList } from '../components/usePagedList';
import { formatTime } from '../labels';
import { AGREEMENT_TYPES, APPLICATION_ONBOARDING_STATUS_LABELS, MERCHANT_TYPES, NON_STANDARD_REQUESTS } from '../../../domain/application-onboarding';

const STATUS_COLORS: Record<string, string> = {
  DRAFT: 'default',
  IN_REVIEW: 'processing',
  RETURNED: 'warning',
  ACTIVATING: 'processing',
  TESTING: 'cyan',
  GO_LIVE_REVIEW: 'processing',
  LIVE: 'success',
  CANCELLED: 'default',
  EXPIRED: 'error',
};

interface OnboardingRow {
  id: string;
  customerName: string;
  agreementLabel: string;
  status: string;
  statusLabel: string;
  appNo: string | null;
  testAppNo: string | null;
  createdBy: string;
  updatedAt: string;
}

export interface OnboardingDetail {
  id: string;
  customerName: string;
  agreementType: string;
  agreementLabel: string;
  agreement: string | null;
  fundMode: string;
  serviceProvider: { id: string; name: string } | null;
  legalRepName: string;
  legalRepPhone: string;
  contactEmail: string;
  scenario: Record<string, unknown>;
  scenarioSummary: string;
  status: string;
  statusLabel: string;
  returnedReason: string | null;
  goLiveReturnedReason: string | null;
  closedReason: string | null;
  resubmitBy: string | null;
  application: { appNo: string; name: string; live: boolean } | null;
  testApplication: { appNo: string; name: string } | null;
  createdBy: string;
  createdAt: string;
  checklist: ChecklistItemView[];
  missing: { ONBOARDING: string[]; GO_LIVE: string[] };
  reviews: {
    id: string;
    kind: string;
    title: string;
    status: string;
    decidedBy: string | null;
    decidedAt: string | null;
    reason: string | null;
    createdAt: string;
  }[];
}

const SCENARIO_FLAGS: [string, string][] = [
  ['online', '线上场景'],
  ['website', '线上网站场景（需ICP、网安备案）'],
  ['paymentProducts', '开通支付产品'],
  ['cashier', '开通收银宝（收付通）'],
  ['b2bStoreAssistant', '开通小程序B2B门店助手'],
  ['weiqifu', '开通微企付'],
  ['payoutOrCollection', '线上代付、收托抵用'],
  ['splitAccounts', '开通分账'],
  ['brandOrFranchise', '品牌授权或加盟经营'],
  ['siteVisitVideoInsteadOfPhoto', '暂无客户经理与门头合照（以现场考察视频代替）'],
  ['fundPoolingSameEntity', '资金归集：父子商户同主体'],
];

const options = (o: Record<string, string | { label: string }>) =>
  Object.entries(o).map(([value, v]) => ({ value, label: typeof v === 'string' ? v : v.label }));

function scenarioOf(values: Record<string, unknown>) {
  const flags = (values.flags as string[] | undefined) ?? [];
  return {
    merchantType: values.merchantType,
    ...Object.fromEntries(SCENARIO_FLAGS.map(([k]) => [k, flags.includes(k)])),
    nonStandard: values.nonStandard ?? [],
  };
}

/** 新增客户 / 修改: customer, agreement and scenario, with the checklist it leads to shown as it changes. */
function CustomerForm(props: { initial?: OnboardingDetail; onDone: (id: string) => void; onCancel: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const values = Form.useWatch([], form) as Record<string, unknown> | undefined;
  const providers = useQuery({
    queryKey: ['providers'],
    queryFn: () => api<{ items: { id: string; name: string }[] }>('GET', '/api/application-onboardings/service-providers'),
  });
  const scenario = values?.merchantType ? scenarioOf(values) : null;
  const preview = useQuery({
    queryKey: ['checklist-preview', JSON.stringify(scenario)],
    enabled: !!scenario,
    queryFn: () => api<{ problems: string[]; items: ChecklistItemView[] }>('POST', '/api/application-onboardings/checklist', scenario),
  });
  const save = useMutation({
    mutationFn: (v: Record<string, unknown>) => {
      const body = { ...v, scenario: scenarioOf(v), flags: undefined, merchantType: undefined, nonStandard: undefined };
      return props.initial
        ? api<{ id: string }>('PUT', `/api/application-onboardings/${props.initial.id}`, body)
        : api<{ id: string }>('POST', '/api/application-onboardings', body);
    },
    onSuccess: (r) => (message.success('已保存，请上传材料后提交审核'), props.onDone(r.id)),
    onError: (e: Error) => message.error(e.message),
  });
  const init = props.initial;
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={(v) => save.mutate(v)}
      initialValues={
        init
          ? {
              ...init,
              serviceProviderId: init.serviceProvider?.id,
              legalRepPhone: undefined,
              merchantType: init.scenario.merchantType,
              nonStandard: init.scenario.nonStandard,
              flags: SCENARIO_FLAGS.filter(([k]) => init.scenario[k]).map(([k]) => k),
            }
          : { agreementType: 'STANDARD', fundMode: 'POST_SETTLEMENT', merchantType: 'ENTERPRISE', flags: [], nonStandard: [] }
      }
    >
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item label="客户名称" name="customerName" rules={[{ required: true, message: '请填写客户名称' }]}>
            <Input maxLength={60} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item label="合作协议" name="agreementType" rules={[{ required: true }]}>
            <Select options={options(AGREEMENT_TYPES)} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item label="服务商" name="serviceProviderId" rules={[{ required: true, message: '请选择服务商' }]}>
            <Select options={providers.data?.items.map((p) => ({ value: p.id, label: p.name }))} loading={providers.isLoading} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item label="资金管理模式" name="fundMode">
            <Select
              options={[
                { value: 'POST_SETTLEMENT', label: '后结算' },
                { value: 'REALTIME_SETTLEMENT', label: '实时结算' },
              ]}
            />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item label="法定代表人" name="legalRepName" rules={[{ required: true, message: '请填写法定代表人姓名' }]}>
            <Input maxLength={30} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item
            label={init ? `法定代表人手机号（原 ${init.legalRepPhone}，请重新填写）` : '法定代表人手机号（接收应用号与初始密码）'}
            name="legalRepPhone"
            rules={[{ required: true, pattern: /^1[3-9]\d{9}$/, message: '请填写11位手机号' }]}
          >
            <Input maxLength={11} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item label="联系邮箱" name="contactEmail" rules={[{ required: true, type: 'email', message: '请填写正确的邮箱' }]}>
            <Input maxLength={120} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item label="商户类型" name="merchantType">
            <Select options={options(MERCHANT_TYPES)} />
          </Form.Item>
        </Col>
        <Col span={16}>
          <Form.Item label="支付产品非标申请" name="nonStandard">
            <Select mode="multiple" allowClear options={options(NON_STANDARD_REQUESTS)} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item label="业务场景" name="flags">
        <Checkbox.Group options={SCENARIO_FLAGS.map(([value, label]) => ({ value, label }))} />
      </Form.Item>
      {preview.data?.problems.length ? <Alert type="warning" showIcon message={preview.data.problems.join('；')} style={{ marginBottom: 12 }} /> : null}
      {preview.data && !preview.data.problems.length && (
        <Alert
          type="info"
          style={{ marginBottom: 12 }}
          message={`该场景需要 ${preview.data.items.filter((m) => m.required && m.stage === 'ONBOARDING').length} 项必需入网材料：${preview.data.items
            .filter((m) => m.required && m.stage === 'ONBOARDING')
            .map((m) => m.description)
            .join('、')}`}
        />
      )}
      <Space>
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          保存
        </Button>
        <Button onClick={props.onCancel}>取消</Button>
      </Space>
    </Form>
  );
}

/** 应用开通: the branch's customers and where each stands. */
export function ApplicationOnboardingsPage() {
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const { setFilter, tableProps } = usePagedList<OnboardingRow, { status?: string; q?: string }>('app-onboardings', '/api/application-onboardings', {});
  return (
    <Card
      title="应用开通与上线"
      extra={
        <Button type="primary" onClick={() => setCreating(true)}>
          新增客户
        </Button>
      }
    >
      <Space style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder="状态"
          style={{ width: 170 }}
          onChange={(v) => setFilter({ status: v })}
          options={options(APPLICATION_ONBOARDING_STATUS_LABELS)}
        />
        <Input.Search placeholder="客户名称" allowClear onSearch={(q) => setFilter({ q: q || undefined })} />
      </Space>
      <Table<OnboardingRow>
        {...tableProps}
        columns={[
          { title: '客户名称', dataIndex: 'customerName', render: (n: string, r) => <Link to={`/app-onboardings/${r.id}`}>{n}</Link> },
          { title: '合作协议', dataIndex: 'agreementLabel' },
          { title: '状态', dataIndex: 'statusLabel', render: (l: string, r) => <Tag color={STATUS_COLORS[r.status]}>{l}</Tag> },
          {
            title: '应用编号',
            key: 'appNo',
            render: (_: unknown, r: OnboardingRow) =>
              r.appNo || r.testAppNo ? (
                <Space direction="vertical" size={0}>
                  {r.testAppNo && <span>测试 {r.testAppNo}</span>}
                  {r.appNo && <span>{r.testAppNo ? `生产 ${r.appNo}` : r.appNo}</span>}
                </Space>
              ) : (
                '-'
              ),
          },
          { title: '录入人', dataIndex: 'createdBy' },
          { title: '更新时间', dataIndex: 'updatedAt', render: formatTime },
        ]}
      />
      <Modal title="新增客户（云商通二代产品开通）" open={creating} footer={null} width={880} onCancel={() => setCreating(false)} destroyOnHidden>
        <CustomerForm onCancel={() => setCreating(false)} onDone={(id) => navigate(`/app-onboardings/${id}`)} />
      </Modal>
    </Card>
  );
}

/** One customer: its data, the checklist with uploads, submission, and the review rounds. */
export function ApplicationOnboardingDetailPage() {
  const { id } = useParams();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const detail = useQuery({
    queryKey: ['app-onboarding', id],
    queryFn: () => api<OnboardingDetail>('GET', `/api/application-onboardings/${id}`),
    refetchInterval: (q) => (['IN_REVIEW', 'ACTIVATING', 'GO_LIVE_REVIEW'].includes(q.state.data?.status ?? '') ? 3000 : false),
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['app-onboarding', id] });
  const fail = (e: Error) => message.error(e.message);
  const upload = useMutation({
    mutationFn: ({ code, file }: { code: string; file: File }) => {
      const body = new FormData();
      body.append('file', file);
      return api('POST', `/api/application-onboardings/${id}/materials/${code}`, body);
    },
    onSuccess: () => (message.success('已上传'), refresh()),
    onError: fail,
  });
  const remove = useMutation({
    mutationFn: (fileId: string) => api('DELETE', `/api/application-onboardings/${id}/files/${fileId}`),
    onSuccess: refresh,
    onError: fail,
  });
  const submit = useMutation({
    mutationFn: (path: string) => api('POST', `/api/application-onboardings/${id}/${path}`),
    onSuccess: () => (message.success('已提交审核'), refresh()),
    onError: fail,
  });
  const d = detail.data;
  if (!d) return <Card loading />;
  const editableOnboarding = d.status === 'DRAFT' || d.status === 'RETURNED';
  return (
    <Card
      title={
        <Space>
          {d.customerName}
          <Tag color={STATUS_COLORS[d.status]}>{d.statusLabel}</Tag>
        </Space>
      }
      extra={editableOnboarding && <Button onClick={() => setEditing(true)}>修改客户信息</Button>}
    >
      {d.status === 'RETURNED' && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message={`审核退回：${d.returnedReason ?? ''}。请补充材料后于 ${formatTime(d.resubmitBy)} 前重新提交，逾期将自动关闭。`}
        />
      )}
      {d.status === 'TESTING' && d.goLiveReturnedReason && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={`上线申请退回：${d.goLiveReturnedReason}`} />
      )}
      {d.closedReason && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={`${d.statusLabel}：${d.closedReason}`} />}
      {d.testApplication && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message={`测试环境已开通：测试应用编号 ${d.testApplication.appNo}，应用号、初始密码与门户地址已短信发送至法定代表人手机（首次登录须修改密码）`}
        />
      )}
      {d.application && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 12 }}
          message={
            d.testApplication
              ? `已上线投产：生产环境应用编号 ${d.application.appNo}，应用号、初始密码与门户地址已短信发送至法定代表人手机`
              : `应用已开通：应用编号 ${d.application.appNo}${d.application.live ? '，已上线' : '，应用号与初始密码已短信发送至法定代表人手机'}`
          }
        />
      )}
      <Descriptions bordered size="small" column={3}>
        <Descriptions.Item label="合作协议">
          {d.agreementLabel}：{d.agreement}
        </Descriptions.Item>
        <Descriptions.Item label="服务商">{d.serviceProvider?.name ?? '-'}</Descriptions.Item>
        <Descriptions.Item label="资金管理模式">{d.fundMode === 'POST_SETTLEMENT' ? '后结算' : '实时结算'}</Descriptions.Item>
        <Descriptions.Item label="法定代表人">
          {d.legalRepName}（{d.legalRepPhone}）
        </Descriptions.Item>
        <Descriptions.Item label="联系邮箱">{d.contactEmail}</Descriptions.Item>
        <Descriptions.Item label="录入">
          {d.createdBy} {formatTime(d.createdAt)}
        </Descriptions.Item>
        <Descriptions.Item label="业务场景" span={3}>
          {d.scenarioSummary}
        </Descriptions.Item>
      </Descriptions>
      <Tabs
        style={{ marginTop: 12 }}
        defaultActiveKey={['TESTING', 'GO_LIVE_REVIEW', 'LIVE'].includes(d.status) ? 'GO_LIVE' : 'ONBOARDING'}
        items={[
          {
            key: 'ONBOARDING',
            label: `客户入网材料${d.missing.ONBOARDING.length ? `（缺${d.missing.ONBOARDING.length}项）` : ''}`,
            children: (
              <>
                <MaterialChecklist
                  onboardingId={d.id}
                  items={d.checklist}
                  stage="ONBOARDING"
                  onUpload={(code, file) => upload.mutate({ code, file })}
                  onDelete={(f) => remove.mutate(f)}
                />
                {editableOnboarding && (
                  <Button
                    type="primary"
                    style={{ marginTop: 12 }}
                    disabled={d.missing.ONBOARDING.length > 0}
                    loading={submit.isPending}
                    onClick={() => submit.mutate('submission')}
                  >
                    {d.status === 'RETURNED' ? '重新提交审核' : '提交开通审核'}
                  </Button>
                )}
              </>
            ),
          },
          {
            key: 'GO_LIVE',
            label: '上线投产材料',
            children: (
              <>
                <MaterialChecklist
                  onboardingId={d.id}
                  items={d.checklist}
                  stage="GO_LIVE"
                  onUpload={(code, file) => upload.mutate({ code, file })}
                  onDelete={(f) => remove.mutate(f)}
                />
                {d.status === 'TESTING' && (
                  <Button
                    type="primary"
                    style={{ marginTop: 12 }}
                    disabled={d.missing.GO_LIVE.length > 0}
                    loading={submit.isPending}
                    onClick={() => submit.mutate('go-live-submission')}
                  >
                    提交上线申请
                  </Button>
                )}
              </>
            ),
          },
          {
            key: 'REVIEWS',
            label: `审核记录（${d.reviews.length}）`,
            children: (
              <Table
                rowKey="id"
                size="small"
                pagination={false}
                dataSource={d.reviews}
                columns={[
                  { title: '事项', dataIndex: 'title' },
                  { title: '提交时间', dataIndex: 'createdAt', render: formatTime },
                  {
                    title: '结果',
                    dataIndex: 'status',
                    render: (s: string) => ({ PENDING: '待审核', APPROVED: '通过', REJECTED: '驳回', WITHDRAWN: '已撤回' })[s] ?? s,
                  },
                  { title: '审核人', dataIndex: 'decidedBy', render: (v: string | null) => v ?? '-' },
                  { title: '意见', dataIndex: 'reason', render: (v: string | null) => v ?? '-' },
                ]}
              />
            ),
          },
        ]}
      />
      <Modal title="修改客户信息" open={editing} footer={null} width={880} onCancel={() => setEditing(false)} destroyOnHidden>
        <CustomerForm initial={d} onCancel={() => setEditing(false)} onDone={() => (setEditing(false), refresh())} />
      </Modal>
    </Card>
  );
}
