import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Modal, Radio, Space, Table, Tag, Tooltip } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { addMemberSchema } from '../../../api/members/schemas';
import { api, type OnboardingLink, zodRule } from '../api';
import { LinkModal } from '../components/LinkModal';
import { MEMBER_STATUS, STAGE_COLORS, STAGE_LABELS, formatTime } from '../labels';

interface MemberRow {
  id: string;
  bizUserId: string;
  displayName: string;
  status: string;
  stage: keyof typeof STAGE_LABELS | null;
  linkExpiresAt: string | null;
  boundPhone: string | null;
  createdAt: string;
}

/** 企业会员查询 / 个人会员查询, with 新增会员 (self-service onboarding). */
export function MembersPage() {
  const { type: typeParam } = useParams();
  const type = typeParam === 'enterprise' ? 'ENTERPRISE' : 'INDIVIDUAL';
  const label = type === 'ENTERPRISE' ? '企业会员' : '个人会员';
  const [keyword, setKeyword] = useState('');
  const [page, setPage] = useState(1);
  const [adding, setAdding] = useState(false);
  const [link, setLink] = useState<OnboardingLink | null>(null);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const queryClient = useQueryClient();

  const list = useQuery({
    queryKey: ['members', type, keyword, page],
    queryFn: () =>
      api<{ items: MemberRow[]; total: number }>(
        'GET',
        `/api/members?${new URLSearchParams({ type, page: String(page), pageSize: '20', ...(keyword ? { keyword } : {}) })}`,
      ),
  });

  const add = useMutation({
    mutationFn: (values: { bizUserId: string; name: string }) =>
      api<{ link: OnboardingLink }>('POST', '/api/members', { ...values, type, mode: 'SELF_SERVICE' }),
    onSuccess: (res) => {
      setAdding(false);
      form.resetFields();
      setLink(res.link);
      void queryClient.invalidateQueries({ queryKey: ['members'] });
    },
    onError: (e: Error) => message.error(e.message),
  });

  return (
    <Card
      title={`${label}查询`}
      extra={
        <Button type="primary" onClick={() => setAdding(true)}>
          新增会员
        </Button>
      }
    >
      <Space style={{ marginBottom: 16 }}>
        <Input.Search
          placeholder="会员编号 / 名称"
          allowClear
          onSearch={(v) => {
            setKeyword(v.trim());
            setPage(1);
          }}
          style={{ width: 280 }}
        />
      </Space>
      <Table<MemberRow>
        rowKey="id"
        scroll={{ x: 'max-content' }}
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage }}
        columns={[
          { title: '会员编号', dataIndex: 'bizUserId' },
          { title: type === 'ENTERPRISE' ? '企业名称' : '姓名', dataIndex: 'displayName' },
          {
            title: '会员状态',
            dataIndex: 'status',
            render: (s: string) => <Tag color={MEMBER_STATUS[s]?.color}>{MEMBER_STATUS[s]?.text ?? s}</Tag>,
          },
          {
            title: '开户环节',
            dataIndex: 'stage',
            render: (s: MemberRow['stage']) => (s ? <Tag color={STAGE_COLORS[s]}>{STAGE_LABELS[s]}</Tag> : '-'),
          },
          { title: '链接有效期至', dataIndex: 'linkExpiresAt', render: formatTime },
          { title: '绑定手机', dataIndex: 'boundPhone', render: (v: string | null) => v ?? '-' },
          { title: '创建时间', dataIndex: 'createdAt', render: formatTime },
          { title: '操作', render: (_, r) => <Link to={`/members/detail/${r.id}`}>详情</Link> },
        ]}
      />
      <Modal
        open={adding}
        title={`新增${label}`}
        onCancel={() => setAdding(false)}
        onOk={() => form.submit()}
        confirmLoading={add.isPending}
        okText="生成开户链接"
      >
        <Form form={form} layout="vertical" onFinish={(v) => add.mutate(v)} initialValues={{ mode: 'SELF_SERVICE' }}>
          <Form.Item label="会员编号" name="bizUserId" rules={[zodRule(addMemberSchema.shape.bizUserId)]} extra="平台侧的会员唯一编号">
            <Input placeholder="如 M20260001" />
          </Form.Item>
          <Form.Item label={type === 'ENTERPRISE' ? '企业名称' : '会员姓名'} name="name" rules={[zodRule(addMemberSchema.shape.name)]}>
            <Input />
          </Form.Item>
          <Form.Item label="开户方式" name="mode">
            <Radio.Group>
              <Radio value="SELF_SERVICE">自主开户</Radio>
              <Tooltip title="平台代开户将在后续版本提供">
                <Radio value="PROXY" disabled>
                  平台代开户
                </Radio>
              </Tooltip>
            </Radio.Group>
          </Form.Item>
        </Form>
      </Modal>
      <LinkModal link={link} onClose={() => setLink(null)} />
    </Card>
  );
}
