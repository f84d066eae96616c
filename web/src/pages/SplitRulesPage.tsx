import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Drawer, Form, Input, InputNumber, Modal, Radio, Select, Space, Switch, Table, Tag } from 'antd';
import { useState } from 'react';
import { api } from '../api';
import { usePagedList } from '../components/usePagedList';
import { LINK_STATUS, RULE_STATE, formatTime } from '../labels';

interface RuleRow {
  id: string;
  ruleNo: string;
  name: string;
  receiver: { displayName: string; bizUserId: string } | null;
  commission: string | null;
  splitParties: number;
  signedParties: number;
  totalParties: number;
  state: string;
  enabled: boolean;
  createdAt: string;
}
interface Party {
  memberId: string;
  member: { displayName: string; bizUserId: string } | null;
  role: string;
  method: 'RATIO' | 'FIXED' | null;
  value: number | null;
  label: string;
  signed: boolean;
  signedAt: string | null;
  link: { status: string; sentAt: string | null; expiresAt: string } | null;
}
interface RuleDetail {
  id: string;
  ruleNo: string;
  name: string;
  state: string;
  enabled: boolean;
  effectiveAt: string | null;
  receiver: { id: string; displayName: string; bizUserId: string; boundPhoneMasked: string | null } | null;
  commission: { method: 'RATIO' | 'FIXED'; value: number; label: string } | null;
  parties: Party[];
}
interface MemberOption {
  id: string;
  bizUserId: string;
  displayName: string;
}

/** Form values: ratios in percent and amounts in yuan for people; the API wants basis points and fen. */
interface ShareForm {
  method: 'RATIO' | 'FIXED';
  amount: number;
}
const toApiShare = (s: ShareForm) => ({ method: s.method, value: Math.round(s.amount * 100) });
const fromApiShare = (s: { method: 'RATIO' | 'FIXED' | null; value: number | null }): ShareForm => ({
  method: s.method ?? 'RATIO',
  amount: (s.value ?? 0) / 100,
});

/** 分账抽佣规则管理: list, add, detail with signing status, 协议重发, edit, 状态变更. */
export function SplitRulesPage() {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<RuleDetail | 'new' | null>(null);
  const [detailId, setDetailId] = useState<string | null>(null);
  const [statusOf, setStatusOf] = useState<RuleRow | null>(null);
  const [form] = Form.useForm();
  const [statusForm] = Form.useForm();
  const hasCommission = Form.useWatch('hasCommission', form) as boolean | undefined;

  const { setFilter, tableProps } = usePagedList<RuleRow, { keyword?: string }>('split-rules', '/api/split/rules', {});
  const members = useQuery({
    queryKey: ['members-normal'],
    queryFn: () => api<{ items: MemberOption[] }>('GET', '/api/members?status=NORMAL&pageSize=100'),
  });
  const detail = useQuery({
    queryKey: ['split-rule', detailId],
    enabled: !!detailId,
    queryFn: () => api<RuleDetail>('GET', `/api/split/rules/${detailId}`),
  });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['split-rules'] });
    void queryClient.invalidateQueries({ queryKey: ['split-rule'] });
  };
  const save = useMutation({
    mutationFn: (v: {
      name: string;
      receiverMemberId: string;
      hasCommission: boolean;
      commission?: ShareForm;
      parties: (ShareForm & { memberId: string })[];
    }) => {
      const body = {
        name: v.name,
        receiverMemberId: v.receiverMemberId,
        commission: v.hasCommission && v.commission ? toApiShare(v.commission) : null,
        parties: (v.parties ?? []).map((p) => ({ memberId: p.memberId, ...toApiShare(p) })),
      };
      return editing === 'new'
        ? api<RuleDetail>('POST', '/api/split/rules', body)
        : api<RuleDetail>('PUT', `/api/split/rules/${(editing as RuleDetail).id}`, body);
    },
    onSuccess: (r) => {
      message.success(editing === 'new' ? '规则已新增，已向各方发送协议签约短信' : '规则已保存');
      setEditing(null);
      setDetailId(r.id);
      refresh();
    },
    onError: (e: Error) => message.error(e.message),
  });
  const resend = useMutation({
    mutationFn: (id: string) => api<{ resentTo: number }>('POST', `/api/split/rules/${id}/resend`),
    onSuccess: (r) => (message.success(`已向 ${r.resentTo} 个未签约方重发签约链接`), refresh()),
    onError: (e: Error) => message.error(e.message),
  });
  const changeStatus = useMutation({
    mutationFn: (v: { enabled: boolean; reason: string }) => api('POST', `/api/split/rules/${statusOf!.id}/status`, v),
    onSuccess: () => (message.success('状态已变更'), setStatusOf(null), refresh()),
    onError: (e: Error) => message.error(e.message),
  });

  const openEditor = (rule: RuleDetail | 'new') => {
    form.resetFields();
    if (rule !== 'new') {
      form.setFieldsValue({
        name: rule.name,
        receiverMemberId: rule.receiver?.id,
        hasCommission: !!rule.commission,
        commission: rule.commission ? fromApiShare(rule.commission) : { method: 'RATIO', amount: 5 },
        parties: rule.parties.filter((p) => p.role === 'SPLIT').map((p) => ({ memberId: p.memberId, ...fromApiShare(p) })),
      });
    }
    setEditing(rule);
  };
  const memberOptions = (members.data?.items ?? []).map((m) => ({ value: m.id, label: `${m.displayName}（${m.bizUserId}）` }));
  const shareFields = (prefix: (string | number)[]) => (
    <Space.Compact>
      <Form.Item name={[...prefix, 'method']} noStyle>
        <Select
          style={{ width: 110 }}
          options={[
            { value: 'RATIO', label: '按比例' },
            { value: 'FIXED', label: '固定金额' },
          ]}
        />
      </Form.Item>
      <Form.Item name={[...prefix, 'amount']} noStyle rules={[{ required: true, message: '请填写' }]}>
        <InputNumber min={0.01} step={0.01} style={{ width: 140 }} placeholder="% 或 元" />
      </Form.Item>
    </Space.Compact>
  );

  const d = detail.data;
  return (
    <Card
      title="分账抽佣规则管理"
      extra={
        <Button type="primary" onClick={() => openEditor('new')}>
          新增
        </Button>
      }
    >
      <Input.Search
        placeholder="规则编号 / 名称 / 收款会员"
        allowClear
        style={{ width: 280, marginBottom: 16 }}
        onSearch={(v) => setFilter({ keyword: v.trim() || undefined })}
      />
      <Table<RuleRow>
        {...tableProps}
        columns={[
          { title: '规则编号', dataIndex: 'ruleNo' },
          { title: '规则名称', dataIndex: 'name' },
          { title: '收款会员', render: (_, r) => (r.receiver ? `${r.receiver.displayName}（${r.receiver.bizUserId}）` : '-') },
          { title: '抽佣', dataIndex: 'commission', render: (c: string | null) => c ?? '无' },
          { title: '分账方', dataIndex: 'splitParties' },
          { title: '协议签署', render: (_, r) => `${r.signedParties}/${r.totalParties}` },
          { title: '状态', dataIndex: 'state', render: (s: string) => <Tag color={RULE_STATE[s]?.color}>{RULE_STATE[s]?.text}</Tag> },
          { title: '创建时间', dataIndex: 'createdAt', render: formatTime },
          {
            title: '操作',
            render: (_, r) => (
              <Space>
                <a onClick={() => setDetailId(r.id)}>查看详情</a>
                {r.signedParties < r.totalParties && <a onClick={() => resend.mutate(r.id)}>协议重发</a>}
                <a onClick={() => void api<RuleDetail>('GET', `/api/split/rules/${r.id}`).then(openEditor)}>编辑</a>
                <a onClick={() => (statusForm.resetFields(), statusForm.setFieldsValue({ enabled: !r.enabled }), setStatusOf(r))}>状态变更</a>
              </Space>
            ),
          },
        ]}
      />
      <Drawer open={!!detailId} width={720} title="分账抽佣规则详情" onClose={() => setDetailId(null)}>
        {d && (
          <>
            <Descriptions bordered size="small" column={2}>
              <Descriptions.Item label="规则编号">{d.ruleNo}</Descriptions.Item>
              <Descriptions.Item label="规则名称">{d.name}</Descriptions.Item>
              <Descriptions.Item label="收款会员">{d.receiver ? `${d.receiver.displayName}（${d.receiver.bizUserId}）` : '-'}</Descriptions.Item>
              <Descriptions.Item label="绑定手机">{d.receiver?.boundPhoneMasked ?? '-'}</Descriptions.Item>
              <Descriptions.Item label="抽佣规则">{d.commission ? `平台抽佣，${d.commission.label}` : '无抽佣方'}</Descriptions.Item>
              <Descriptions.Item label="状态">
                <Tag color={RULE_STATE[d.state]?.color}>{RULE_STATE[d.state]?.text}</Tag>
                {d.effectiveAt && `生效于 ${formatTime(d.effectiveAt)}`}
              </Descriptions.Item>
            </Descriptions>
            <Table<Party>
              style={{ marginTop: 16 }}
              size="small"
              rowKey="memberId"
              pagination={false}
              dataSource={d.parties}
              columns={[
                { title: '签约方', render: (_, p) => (p.member ? `${p.member.displayName}（${p.member.bizUserId}）` : p.memberId) },
                { title: '角色', dataIndex: 'role', render: (r: string) => (r === 'RECEIVER' ? '收款会员' : '分账方') },
                { title: '分账规则', dataIndex: 'label' },
                {
                  title: '协议签署状态',
                  render: (_, p) =>
                    p.signed ? (
                      <Tag color="success">已签约 {formatTime(p.signedAt)}</Tag>
                    ) : p.link ? (
                      <Tag color={LINK_STATUS[p.link.status]?.color}>未签约 · 链接{LINK_STATUS[p.link.status]?.text}</Tag>
                    ) : (
                      <Tag>未签约 · 待发送</Tag>
                    ),
                },
              ]}
            />
            <Space style={{ marginTop: 16 }}>
              <Button disabled={d.parties.every((p) => p.signed)} loading={resend.isPending} onClick={() => resend.mutate(d.id)}>
                协议重发
              </Button>
              <Button onClick={() => openEditor(d)}>编辑规则</Button>
            </Space>
          </>
        )}
      </Drawer>
      <Modal
        open={editing !== null}
        width={640}
        title={editing === 'new' ? '新增分账抽佣规则' : '编辑分账抽佣规则'}
        okText={editing === 'new' ? '新增并发送签约' : '保存'}
        confirmLoading={save.isPending}
        onOk={() => form.submit()}
        onCancel={() => setEditing(null)}
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) => save.mutate(v)}
          initialValues={{ hasCommission: true, commission: { method: 'RATIO', amount: 5 }, parties: [{ method: 'RATIO', amount: 10 }] }}
        >
          <Form.Item label="规则名称" name="name" rules={[{ required: true, message: '请输入规则名称' }]}>
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item
            label="收款会员"
            name="receiverMemberId"
            rules={[{ required: true, message: '请选择收款会员' }]}
            extra={editing !== 'new' ? '收款会员不允许修改' : undefined}
          >
            <Select showSearch optionFilterProp="label" options={memberOptions} disabled={editing !== 'new'} />
          </Form.Item>
          <Form.Item label="是否存在抽佣方（平台抽佣）" name="hasCommission" valuePropName="checked">
            <Switch checkedChildren="是" unCheckedChildren="否" />
          </Form.Item>
          {hasCommission && <Form.Item label="抽佣规则（比例填 %，金额填 元）">{shareFields(['commission'])}</Form.Item>}
          <Form.List name="parties">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f, i) => (
                  <Space key={f.key} align="baseline" wrap>
                    <Form.Item label={`分账方 ${i + 1}`} name={[f.name, 'memberId']} rules={[{ required: true, message: '请选择分账方' }]}>
                      <Select showSearch optionFilterProp="label" options={memberOptions} style={{ width: 240 }} />
                    </Form.Item>
                    <Form.Item label="分账规则">{shareFields([f.name])}</Form.Item>
                    {fields.length > 1 && <a onClick={() => remove(f.name)}>删除</a>}
                  </Space>
                ))}
                <Button type="dashed" block onClick={() => add({ method: 'RATIO', amount: 10 })}>
                  添加分账方
                </Button>
              </>
            )}
          </Form.List>
        </Form>
      </Modal>
      <Modal open={!!statusOf} title="状态变更" confirmLoading={changeStatus.isPending} onOk={() => statusForm.submit()} onCancel={() => setStatusOf(null)}>
        <Form form={statusForm} layout="vertical" onFinish={(v) => changeStatus.mutate(v)}>
          <Form.Item label="状态" name="enabled">
            <Radio.Group
              options={[
                { value: true, label: '启用' },
                { value: false, label: '停用' },
              ]}
            />
          </Form.Item>
          <Form.Item label="变更原因" name="reason" rules={[{ required: true, min: 2, message: '请填写变更原因' }]}>
            <Input.TextArea maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
