import { MaterialChecklist } from '../components/MaterialChecklist';
import type { OnboardingDetail } from './ApplicationOnboardingPage';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, Radio, Space, Table, Tabs, Tag } from 'antd';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api } from '../api';
import { ImportReport, type ImportTaskView } from '../components/ImportReport';
import { usePagedList } from '../components/usePagedList';
import { formatTime } from '../labels';

interface ReviewRow {
  id: string;
  kindLabel: string;
  title: string;
  applicant: string;
  createdAt: string;
  ageHours: number;
  status: string;
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
  /** 上报总部: the branch has no other reviewer to keep four eyes on it. */
  escalated: boolean;
}
interface ReviewDetail extends Omit<ReviewRow, 'ageHours'> {
  kind: 'IMPORT_WINDOW' | 'IMPORT_TASK' | 'MIGRATION_REQUEST' | 'MIGRATION_FILE' | 'STATEMENT_ENABLEMENT' | 'APPLICATION_ONBOARDING' | 'APPLICATION_GO_LIVE';
  application: { appNo: string; name: string; fundMode: string } | null;
  ownSubmission: boolean;
  material: null | { reason?: string; roleName?: string } | ImportTaskView | OnboardingDetail;
}

const DECISION: Record<string, { text: string; color: string }> = {
  PENDING: { text: '待审核', color: 'processing' },
  APPROVED: { text: '通过', color: 'success' },
  REJECTED: { text: '驳回', color: 'error' },
};

const age = (hours: number) => (hours < 1 ? '不足1小时' : hours < 48 ? `${hours} 小时` : `${Math.floor(hours / 24)} 天`);

/** 审核队列: everything waiting for a reviewer, and the decided history. */
export function ReviewsPage() {
  const { filter, setFilter, tableProps, exportHref } = usePagedList<ReviewRow, { state: string }>('reviews', '/api/reviews', { state: 'PENDING' });
  return (
    <Card title="审核队列" extra={<a href={exportHref()}>{filter.state === 'DECIDED' ? '导出审核记录' : '导出待审核事项'}（单次最多10000条）</a>}>
      <Tabs
        activeKey={filter.state}
        onChange={(k) => setFilter({ state: k })}
        items={[
          { key: 'PENDING', label: '待审核' },
          { key: 'DECIDED', label: '审核历史' },
        ]}
      />
      <Table<ReviewRow>
        {...tableProps}
        columns={[
          { title: '类型', dataIndex: 'kindLabel' },
          {
            title: '事项',
            dataIndex: 'title',
            render: (t: string, r) => (
              <>
                <Link to={`/reviews/${r.id}`}>{t}</Link> {r.escalated && <Tag color="orange">已上报总部</Tag>}
              </>
            ),
          },
          { title: '申请人', dataIndex: 'applicant' },
          { title: '提交时间', dataIndex: 'createdAt', render: formatTime },
          ...(filter.state === 'PENDING'
            ? [{ title: '已等待', dataIndex: 'ageHours', render: age }]
            : [
                { title: '结果', dataIndex: 'status', render: (s: string) => <Tag color={DECISION[s]?.color}>{DECISION[s]?.text}</Tag> },
                { title: '审核人', dataIndex: 'decidedBy' },
                { title: '审核时间', dataIndex: 'decidedAt', render: formatTime },
                { title: '意见', dataIndex: 'reason' },
              ]),
          { title: '操作', render: (_: unknown, r: ReviewRow) => <Link to={`/reviews/${r.id}`}>{r.status === 'PENDING' ? '去审核' : '查看'}</Link> },
        ]}
      />
    </Card>
  );
}

/** One decision: the material (reason, file summary, preview, validation report) and 通过 / 驳回. */
export function ReviewDetailPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const item = useQuery({ queryKey: ['review', id], queryFn: () => api<ReviewDetail>('GET', `/api/reviews/${id}`) });
  const decide = useMutation({
    mutationFn: (v: { approve: boolean; reason?: string }) => api('POST', `/api/reviews/${id}/decision`, { approve: v.approve, reason: v.reason ?? '' }),
    onSuccess: () => (message.success('已提交审核结果'), navigate('/reviews')),
    onError: (e: Error) => message.error(e.message),
  });
  const r = item.data;
  if (!r) return <Card loading />;
  const m = r.material;
  return (
    <Card title={`${r.kindLabel}：${r.title}`} extra={r.escalated && <Tag color="orange">本分公司无其他审核人员，已上报总部</Tag>}>
      <Descriptions bordered size="small" column={2}>
        <Descriptions.Item label="应用">{r.application ? `${r.application.name}（${r.application.appNo}）` : '-'}</Descriptions.Item>
        <Descriptions.Item label="申请人">{r.applicant}</Descriptions.Item>
        <Descriptions.Item label="提交时间">{formatTime(r.createdAt)}</Descriptions.Item>
        <Descriptions.Item label="状态">
          <Tag color={DECISION[r.status]?.color}>{DECISION[r.status]?.text ?? r.status}</Tag>
          {r.decidedBy && `${r.decidedBy} ${formatTime(r.decidedAt)} ${r.reason ?? ''}`}
        </Descriptions.Item>
        {m && 'reason' in m && m.reason && (
          <Descriptions.Item label="申请说明" span={2}>
            {m.reason}
          </Descriptions.Item>
        )}
      </Descriptions>
      {m && 'checklist' in m && (
        <div style={{ marginTop: 16 }}>
          <Descriptions bordered size="small" column={2} style={{ marginBottom: 12 }}>
            <Descriptions.Item label="客户">{m.customerName}</Descriptions.Item>
            <Descriptions.Item label="合作协议">
              {m.agreementLabel}：{m.agreement}
            </Descriptions.Item>
            <Descriptions.Item label="法定代表人">
              {m.legalRepName}（{m.legalRepPhone}）
            </Descriptions.Item>
            <Descriptions.Item label="服务商">{m.serviceProvider?.name ?? '-'}</Descriptions.Item>
            <Descriptions.Item label="业务场景" span={2}>
              {m.scenarioSummary}
            </Descriptions.Item>
          </Descriptions>
          <MaterialChecklist onboardingId={m.id} items={m.checklist} stage={r.kind === 'APPLICATION_GO_LIVE' ? 'GO_LIVE' : 'ONBOARDING'} />
        </div>
      )}
      {m && 'columns' in m && (
        <div style={{ marginTop: 16 }}>
          <ImportReport report={m} />
        </div>
      )}
      {r.status === 'PENDING' &&
        (r.ownSubmission ? (
          <Alert style={{ marginTop: 16 }} type="warning" showIcon message="这是您本人提交的事项，不能由您审核" />
        ) : (
          <Form layout="vertical" style={{ marginTop: 16, maxWidth: 560 }} initialValues={{ approve: true }} onFinish={(v) => decide.mutate(v)}>
            <Form.Item label="审核结果" name="approve">
              <Radio.Group
                options={[
                  { value: true, label: '通过' },
                  { value: false, label: '驳回' },
                ]}
              />
            </Form.Item>
            <Form.Item
              label="审核意见"
              name="reason"
              dependencies={['approve']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: async (_, v) => {
                    if (!getFieldValue('approve') && (!v || v.trim().length < 2)) throw new Error('驳回时请填写原因');
                  },
                }),
              ]}
            >
              <Input.TextArea maxLength={500} rows={3} />
            </Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" loading={decide.isPending}>
                提交审核结果
              </Button>
              <Button onClick={() => navigate('/reviews')}>返回队列</Button>
            </Space>
          </Form>
        ))}
    </Card>
  );
}
