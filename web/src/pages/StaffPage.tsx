import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { applicationBranchSchema, createBranchSchema, createStaffSchema, disableStaffSchema } from '../../../api/staff/schemas';
import { api, zodRule } from '../api';
import { useMe } from '../components/PortalLayout';
import { formatTime } from '../labels';

interface Branch {
  id: string;
  code: string;
  name: string;
  applications: number;
  staff: number;
}

interface Staff {
  branch: { id: string; name: string } | null;
  id: string;
  username: string;
  displayName: string;
  role: 'OPERATOR' | 'REVIEWER' | 'BRANCH_USER';
  roleLabel: string;
  phone: string | null;
  enabled: boolean;
  disabledAt: string | null;
  disabledReason: string | null;
  mustChangePassword: boolean;
  createdAt: string;
}

const ROLE_OPTIONS = [
  { value: 'OPERATOR', label: '运营人员（总部）' },
  { value: 'REVIEWER', label: '审核人员' },
  { value: 'BRANCH_USER', label: '分公司业务人员' },
];

/** 人员管理 (headquarters operators): staff users, roles, 停用/启用, 重置密码. */
export function StaffPage() {
  const me = useMe();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [disabling, setDisabling] = useState<Staff | null>(null);
  const [reason, setReason] = useState('');
  const list = useQuery({ queryKey: ['staff'], queryFn: () => api<{ items: Staff[] }>('GET', '/api/staff') });
  const branches = useQuery({ queryKey: ['branches'], queryFn: () => api<{ items: Branch[] }>('GET', '/api/staff/branches') });
  const branchOptions = [{ value: '', label: '总部' }, ...(branches.data?.items ?? []).map((b) => ({ value: b.id, label: b.name }))];
  const done = (text: string) => {
    message.success(text);
    void client.invalidateQueries({ queryKey: ['staff'] });
    void client.invalidateQueries({ queryKey: ['branches'] });
  };
  const fail = (e: Error) => message.error(e.message);
  const create = useMutation({
    mutationFn: (v: { branchId?: string }) => api<{ sentTo: string }>('POST', '/api/staff', { ...v, branchId: v.branchId || null }),
    onSuccess: (r) => {
      setCreating(false);
      done(`已新增，初始密码已发送至 ${r.sentTo}`);
    },
    onError: fail,
  });
  const act = useMutation({
    mutationFn: (a: { id: string; path: string; method?: 'POST' | 'PUT'; body?: unknown }) =>
      api<{ sentTo?: string }>(a.method ?? 'POST', `/api/staff/${a.id}/${a.path}`, a.body ?? {}),
    onSuccess: (r, a) => {
      setDisabling(null);
      setReason('');
      done(
        a.path === 'password-reset'
          ? `新的初始密码已发送至 ${r.sentTo}`
          : a.path === 'disable'
            ? '已停用，其登录会话已结束'
            : a.path === 'enable'
              ? '已启用'
              : '已保存，其登录会话已结束',
      );
    },
    onError: fail,
  });
  const self = me.data?.user.id;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={16}>
      <Card
        title="人员管理"
        extra={
          <Button type="primary" onClick={() => setCreating(true)}>
            新增人员
          </Button>
        }
      >
        <Table
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data?.items ?? []}
          pagination={false}
          columns={[
            { title: '登录名', dataIndex: 'username' },
            { title: '姓名', dataIndex: 'displayName' },
            {
              title: '角色',
              dataIndex: 'role',
              render: (role: Staff['role'], s: Staff) =>
                s.id === self ? (
                  s.roleLabel
                ) : (
                  <Select
                    size="small"
                    value={role}
                    style={{ width: 150 }}
                    options={ROLE_OPTIONS}
                    onChange={(next) => act.mutate({ id: s.id, path: 'role', method: 'PUT', body: { role: next } })}
                  />
                ),
            },
            {
              title: '所属',
              dataIndex: 'branch',
              render: (b: Staff['branch'], s: Staff) =>
                s.id === self ? (
                  (b?.name ?? '总部')
                ) : (
                  <Select
                    size="small"
                    value={b?.id ?? ''}
                    style={{ width: 140 }}
                    options={branchOptions}
                    onChange={(next) => act.mutate({ id: s.id, path: 'branch', method: 'PUT', body: { branchId: next || null } })}
                  />
                ),
            },
            { title: '手机号', dataIndex: 'phone', render: (v: string | null) => v ?? '-' },
            {
              title: '状态',
              dataIndex: 'enabled',
              render: (enabled: boolean, s: Staff) =>
                enabled ? <Tag color="green">启用</Tag> : <Tag title={s.disabledReason ?? undefined}>已停用（{formatTime(s.disabledAt)}）</Tag>,
            },
            { title: '创建时间', dataIndex: 'createdAt', render: formatTime },
            {
              title: '操作',
              render: (_: unknown, s: Staff) =>
                s.id === self ? (
                  '本人'
                ) : (
                  <Space>
                    {s.enabled ? <a onClick={() => setDisabling(s)}>停用</a> : <a onClick={() => act.mutate({ id: s.id, path: 'enable' })}>启用</a>}
                    <a onClick={() => act.mutate({ id: s.id, path: 'password-reset' })}>重置密码</a>
                  </Space>
                ),
            },
          ]}
        />
        <Modal title="新增人员" open={creating} footer={null} onCancel={() => setCreating(false)} destroyOnHidden>
          <Form layout="vertical" onFinish={(v) => create.mutate(v)}>
            <Form.Item name="username" label="登录名" rules={[zodRule(createStaffSchema.shape.username)]}>
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item name="displayName" label="姓名" rules={[zodRule(createStaffSchema.shape.displayName)]}>
              <Input />
            </Form.Item>
            <Form.Item name="role" label="角色" rules={[{ required: true, message: '请选择角色' }]}>
              <Select options={ROLE_OPTIONS} />
            </Form.Item>
            <Form.Item name="branchId" label="所属" initialValue="">
              <Select options={branchOptions} />
            </Form.Item>
            <Form.Item name="phone" label="手机号（接收初始密码）" rules={[zodRule(createStaffSchema.shape.phone)]}>
              <Input inputMode="tel" maxLength={11} />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={create.isPending}>
              新增并发送初始密码
            </Button>
          </Form>
        </Modal>
        <Modal
          title={`停用 ${disabling?.displayName ?? ''}`}
          open={!!disabling}
          okText="确认停用"
          confirmLoading={act.isPending}
          onOk={() => {
            const parsed = disableStaffSchema.safeParse({ reason });
            if (!parsed.success) return void message.error(parsed.error.issues[0]!.message);
            act.mutate({ id: disabling!.id, path: 'disable', body: { reason } });
          }}
          onCancel={() => setDisabling(null)}
        >
          <p>停用后其所有登录会话立即结束，且不能再登录，直至重新启用。</p>
          <Input.TextArea id="disable-reason" rows={3} placeholder="停用原因" value={reason} onChange={(e) => setReason(e.target.value)} />
        </Modal>
      </Card>
      <BranchesCard branches={branches.data?.items ?? []} onChanged={done} />
    </Space>
  );
}

/** 分公司管理: the branches with their applications and staff, a new branch, and 调整应用归属. */
function BranchesCard({ branches, onChanged }: { branches: Branch[]; onChanged: (text: string) => void }) {
  const { message } = App.useApp();
  const fail = (e: Error) => message.error(e.message);
  const create = useMutation({
    mutationFn: (v: unknown) => api('POST', '/api/staff/branches', v),
    onSuccess: () => onChanged('已新增分公司'),
    onError: fail,
  });
  const move = useMutation({
    mutationFn: (v: { appNo: string; branchId: string; reason: string }) =>
      api<{ openReviewItems: number; branch: { name: string } }>('PUT', `/api/staff/applications/${encodeURIComponent(v.appNo)}/branch`, {
        branchId: v.branchId,
        reason: v.reason,
      }),
    onSuccess: (r) => onChanged(`已调整至${r.branch.name}，${r.openReviewItems}个待审事项随之转入`),
    onError: fail,
  });
  return (
    <Card title="分公司管理">
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={branches}
        columns={[
          { title: '代码', dataIndex: 'code' },
          { title: '名称', dataIndex: 'name' },
          { title: '应用数', dataIndex: 'applications' },
          { title: '人员数', dataIndex: 'staff' },
        ]}
      />
      <Form layout="inline" style={{ marginTop: 16, rowGap: 8 }} onFinish={(v) => create.mutate(v)}>
        <Form.Item name="code" label="代码" rules={[zodRule(createBranchSchema.shape.code)]}>
          <Input id="branch-code" style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="name" label="名称" rules={[zodRule(createBranchSchema.shape.name)]}>
          <Input id="branch-name" style={{ width: 180 }} />
        </Form.Item>
        <Button htmlType="submit" loading={create.isPending}>
          新增分公司
        </Button>
      </Form>
      <Form layout="inline" style={{ marginTop: 16, rowGap: 8 }} onFinish={(v: { appNo: string; branchId: string; reason: string }) => move.mutate(v)}>
        <Form.Item name="appNo" label="应用编号" rules={[{ required: true, message: '请填写应用编号' }]}>
          <Input id="move-appNo" style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="branchId" label="调整至" rules={[{ required: true, message: '请选择分公司' }]}>
          <Select style={{ width: 160 }} options={branches.map((b) => ({ value: b.id, label: b.name }))} />
        </Form.Item>
        <Form.Item name="reason" label="原因" rules={[zodRule(applicationBranchSchema.shape.reason)]}>
          <Input id="move-reason" style={{ width: 200 }} />
        </Form.Item>
        <Button htmlType="submit" loading={move.isPending}>
          调整应用归属
        </Button>
      </Form>
    </Card>
  );
}
