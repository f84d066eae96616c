import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Divider, Form, Input, Modal, Radio, Select, Space, Table, Tag, Upload } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { addMemberSchema } from '../../../api/members/schemas';
import { companySchema, legalRepresentativeSchema, realNameSchema } from '../../../api/member-onboarding/schemas';
import { api, type OnboardingLink, zodRule } from '../api';
import { LinkModal } from '../components/LinkModal';
import { MEMBER_STATUS, STAGE_COLORS, STAGE_LABELS, formatTime } from '../labels';

interface MemberRow {
  id: string;
  bizUserId: string;
  displayName: string;
  status: string;
  stage: keyof typeof STAGE_LABELS | null;
  /** 认证中: the 实名信息 waits for the verification vendor. */
  verificationPending: boolean;
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
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  const [adding, setAdding] = useState(false);
  const [link, setLink] = useState<OnboardingLink | null>(null);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const queryClient = useQueryClient();

  const list = useQuery({
    queryKey: ['members', type, keyword, status, page],
    queryFn: () =>
      api<{ items: MemberRow[]; total: number }>(
        'GET',
        `/api/members?${new URLSearchParams({ type, page: String(page), pageSize: '20', ...(keyword ? { keyword } : {}), ...(status ? { status } : {}) })}`,
      ),
  });

  const mode = Form.useWatch('mode', form) as 'SELF_SERVICE' | 'PROXY' | undefined;
  const add = useMutation({
    mutationFn: (v: Record<string, any>) => {
      if (v.mode !== 'PROXY')
        return api<{ link: OnboardingLink }>('POST', '/api/members', { bizUserId: v.bizUserId, name: v.name, type, mode: 'SELF_SERVICE' });
      if (type === 'INDIVIDUAL') return api<{ link: OnboardingLink }>('POST', '/api/members/proxy', { type, bizUserId: v.bizUserId, realName: v.realName });
      // Enterprise proxy onboarding: the data as JSON plus the three photos, in one request.
      const body = new FormData();
      body.append('data', JSON.stringify({ type, bizUserId: v.bizUserId, company: v.company, legalRepresentative: v.legalRepresentative }));
      for (const field of ['businessLicence', 'idFront', 'idBack']) {
        const file = v[field]?.[0]?.originFileObj as File | undefined;
        if (file) body.append(field, file);
      }
      return api<{ link: OnboardingLink }>('POST', '/api/members/proxy', body);
    },
    onSuccess: (res, v) => {
      setAdding(false);
      form.resetFields();
      if (v.mode === 'PROXY') message.success('代开户信息已保存，确认开户短信已发送给会员');
      setLink(res.link);
      void queryClient.invalidateQueries({ queryKey: ['members'] });
    },
    onError: (e: Error) => message.error(e.message),
  });

  return (
    <Card
      title={`${label}查询`}
      extra={
        <Space>
          <a href={`/api/members/export?${new URLSearchParams({ type, ...(keyword ? { keyword } : {}), ...(status ? { status } : {}) })}`}>
            导出（单次最多10000条）
          </a>
          <Button type="primary" onClick={() => setAdding(true)}>
            新增会员
          </Button>
        </Space>
      }
    >
      <Space style={{ marginBottom: 16 }} wrap>
        <Select
          aria-label="会员状态"
          value={status}
          onChange={(v: string) => {
            setStatus(v);
            setPage(1);
          }}
          style={{ width: 140 }}
          options={[{ value: '', label: '全部状态' }, ...Object.entries(MEMBER_STATUS).map(([value, s]) => ({ value, label: s.text }))]}
        />
        <Input.Search
          placeholder="会员编号 / 名称 / 手机号 / 身份证号"
          allowClear
          onSearch={(v) => {
            setKeyword(v.trim());
            setPage(1);
          }}
          style={{ width: 320 }}
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
            render: (s: MemberRow['stage'], m: MemberRow) =>
              s ? (
                <Space size={4}>
                  <Tag color={STAGE_COLORS[s]}>{STAGE_LABELS[s]}</Tag>
                  {m.verificationPending && <Tag color="processing">认证中</Tag>}
                </Space>
              ) : (
                '-'
              ),
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
        okText={mode === 'PROXY' ? '提交并发送确认短信' : '生成开户链接'}
      >
        <Form form={form} layout="vertical" onFinish={(v) => add.mutate(v)} initialValues={{ mode: 'SELF_SERVICE' }}>
          <Form.Item label="开户方式" name="mode">
            <Radio.Group>
              <Radio value="SELF_SERVICE">自主开户</Radio>
              <Radio value="PROXY">平台代开户</Radio>
            </Radio.Group>
          </Form.Item>
          <Form.Item label="会员编号" name="bizUserId" rules={[zodRule(addMemberSchema.shape.bizUserId)]} extra="平台侧的会员唯一编号">
            <Input placeholder="如 M20260001" />
          </Form.Item>
          {mode !== 'PROXY' ? (
            <Form.Item label={type === 'ENTERPRISE' ? '企业名称' : '会员姓名'} name="name" rules={[zodRule(addMemberSchema.shape.name)]}>
              <Input />
            </Form.Item>
          ) : type === 'INDIVIDUAL' ? (
            <>
              <Divider plain>实名信息（将进行银行卡四要素认证）</Divider>
              <Form.Item label="姓名" name={['realName', 'name']} rules={[zodRule(realNameSchema.shape.name)]}>
                <Input />
              </Form.Item>
              <Form.Item label="身份证号" name={['realName', 'idNumber']} rules={[zodRule(realNameSchema.shape.idNumber)]}>
                <Input />
              </Form.Item>
              <Form.Item label="银行卡号" name={['realName', 'cardNumber']} rules={[zodRule(realNameSchema.shape.cardNumber)]}>
                <Input />
              </Form.Item>
              <Form.Item label="银行预留手机号" name={['realName', 'phone']} rules={[zodRule(realNameSchema.shape.phone)]} extra="确认开户短信将发送到该手机号">
                <Input />
              </Form.Item>
            </>
          ) : (
            <>
              <Divider plain>企业基本信息</Divider>
              {(['name', 'creditCode', 'address', 'businessScope'] as const).map((f) => (
                <Form.Item
                  key={f}
                  label={{ name: '企业名称', creditCode: '统一社会信用代码', address: '企业地址', businessScope: '经营范围' }[f]}
                  name={['company', f]}
                  rules={[zodRule(companySchema.shape[f])]}
                >
                  <Input />
                </Form.Item>
              ))}
              <Divider plain>法人信息</Divider>
              {(['name', 'idNumber', 'phone'] as const).map((f) => (
                <Form.Item
                  key={f}
                  label={{ name: '法人姓名', idNumber: '法人身份证号', phone: '法人手机号' }[f]}
                  name={['legalRepresentative', f]}
                  rules={[zodRule(legalRepresentativeSchema.shape[f])]}
                  extra={f === 'phone' ? '确认开户短信将发送到该手机号' : undefined}
                >
                  <Input />
                </Form.Item>
              ))}
              <Divider plain>证照（JPG/PNG，每张不超过5MB）</Divider>
              {(['businessLicence', 'idFront', 'idBack'] as const).map((f) => (
                <Form.Item
                  key={f}
                  label={{ businessLicence: '营业执照', idFront: '法人身份证人像面', idBack: '法人身份证国徽面' }[f]}
                  name={f}
                  valuePropName="fileList"
                  getValueFromEvent={(e: { fileList: unknown[] }) => e.fileList.slice(-1)}
                  rules={[{ required: true, message: '请上传' }]}
                >
                  <Upload beforeUpload={() => false} maxCount={1} accept="image/jpeg,image/png">
                    <Button>选择图片</Button>
                  </Upload>
                </Form.Item>
              ))}
            </>
          )}
        </Form>
      </Modal>
      <LinkModal link={link} onClose={() => setLink(null)} />
    </Card>
  );
}
