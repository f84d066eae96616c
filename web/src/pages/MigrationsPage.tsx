import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Modal, Progress, Select, Space, Table, Tag, Upload } from 'antd';
import { useState } from 'react';
import { api } from '../api';
import { AttestedSubmit, ImportReport, type ImportTaskView } from '../components/ImportReport';
import { useMe } from '../components/PortalLayout';
import { usePagedList } from '../components/usePagedList';
import { formatTime } from '../labels';

interface MigrationRow {
  id: string;
  application: { appNo: string; name: string } | null;
  reason: string;
  status: string;
  statusLabel: string;
  roleName: string;
  rejectedReason: string | null;
  createdAt: string;
  task: { id: string; status: string; totalRows: number; processed: number; succeeded: number; failed: number } | null;
}

const STATUS_COLORS: Record<string, string> = {
  IN_REVIEW: 'processing',
  AWAITING_CONFIGURATION: 'gold',
  AWAITING_FILE: 'cyan',
  FILE_IN_REVIEW: 'processing',
  EXECUTING: 'processing',
  COMPLETED: 'success',
  REJECTED: 'error',
};

/**
 * 会员迁移, as each role sees it: the branch user files requests, the operator
 * confirms the configuration, the application uploads and submits its file.
 */
export function MigrationsPage() {
  const me = useMe();
  const role = me.data?.user.role;
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [filing, setFiling] = useState(false);
  const [uploadFor, setUploadFor] = useState<MigrationRow | null>(null);
  const [kind, setKind] = useState('INDIVIDUAL');
  const [report, setReport] = useState<ImportTaskView | null>(null);
  const { tableProps } = usePagedList<MigrationRow, Record<string, string>>(
    'migrations',
    '/api/migrations',
    {},
    {
      refreshWhile: (rows) => rows.some((m) => m.status === 'EXECUTING'),
    },
  );
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['migrations'] });
  const fail = (e: Error) => message.error(e.message);

  const file = useMutation({
    mutationFn: (v: { appNo: string; reason: string }) => api('POST', '/api/migrations', v),
    onSuccess: () => (message.success('迁移申请已提交，等待审核'), setFiling(false), refresh()),
    onError: fail,
  });
  const configure = useMutation({
    mutationFn: (id: string) => api('POST', `/api/migrations/${id}/configuration`),
    onSuccess: () => (message.success('已确认配置，迁移会员角色已创建'), refresh()),
    onError: fail,
  });
  const submit = useMutation({
    mutationFn: () => api('POST', `/api/migrations/${uploadFor!.id}/file-submission`, { taskId: report!.id, consentAttested: true }),
    onSuccess: () => (message.success('迁移文件已提交审核'), setUploadFor(null), setReport(null), refresh()),
    onError: fail,
  });
  const upload = async (f: File) => {
    const body = new FormData();
    body.append('kind', kind);
    body.append('file', f);
    try {
      setReport(await api<ImportTaskView>('POST', `/api/migrations/${uploadFor!.id}/files`, body));
    } catch (e) {
      fail(e as Error);
    }
    return false;
  };

  return (
    <Card
      title="会员迁移"
      extra={
        (role === 'REVIEWER' || role === 'BRANCH_USER') && (
          <Button type="primary" onClick={() => setFiling(true)}>
            发起迁移申请
          </Button>
        )
      }
    >
      <Table<MigrationRow>
        {...tableProps}
        columns={[
          { title: '应用', render: (_, m) => (m.application ? `${m.application.name}（${m.application.appNo}）` : '-') },
          { title: '迁移说明', dataIndex: 'reason' },
          {
            title: '环节',
            render: (_, m) => (
              <Tag color={STATUS_COLORS[m.status]} title={m.rejectedReason ?? undefined}>
                {m.statusLabel}
              </Tag>
            ),
          },
          { title: '驳回原因', dataIndex: 'rejectedReason', render: (r: string | null) => r ?? '-' },
          {
            title: '执行进度',
            render: (_, m) =>
              m.task && (m.status === 'EXECUTING' || m.status === 'COMPLETED') ? (
                <Progress
                  size="small"
                  style={{ width: 160 }}
                  percent={Math.floor((m.task.processed / m.task.totalRows) * 100)}
                  status={m.status === 'COMPLETED' ? 'success' : 'active'}
                />
              ) : (
                '-'
              ),
          },
          { title: '申请时间', dataIndex: 'createdAt', render: formatTime },
          {
            title: '操作',
            render: (_, m) => (
              <Space>
                {role === 'OPERATOR' && m.status === 'AWAITING_CONFIGURATION' && (
                  <a onClick={() => configure.mutate(m.id)}>确认配置（创建“{m.roleName}”角色）</a>
                )}
                {role === 'APPLICATION' && m.status === 'AWAITING_FILE' && <a onClick={() => (setReport(null), setUploadFor(m))}>上传迁移文件</a>}
                {role === 'APPLICATION' && m.status === 'COMPLETED' && m.task && <a href={`/api/imports/${m.task.id}/result`}>下载回盘文件</a>}
              </Space>
            ),
          },
        ]}
      />
      <Modal open={filing} title="发起会员迁移申请" footer={null} onCancel={() => setFiling(false)} destroyOnHidden>
        <Form layout="vertical" onFinish={(v) => file.mutate(v)}>
          <Form.Item label="应用编号" name="appNo" rules={[{ required: true, message: '请输入应用编号' }]} extra="需提前在二代系统开通应用">
            <Input />
          </Form.Item>
          <Form.Item label="迁移说明" name="reason" rules={[{ required: true, min: 2, message: '请填写迁移说明' }]}>
            <Input.TextArea rows={3} maxLength={500} />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={file.isPending}>
            提交申请
          </Button>
        </Form>
      </Modal>
      <Modal open={!!uploadFor} width={900} title="上传迁移文件" footer={null} onCancel={() => setUploadFor(null)} destroyOnHidden>
        <Space>
          <Select
            value={kind}
            onChange={setKind}
            style={{ width: 140 }}
            options={[
              { value: 'INDIVIDUAL', label: '个人会员' },
              { value: 'ENTERPRISE', label: '企业会员' },
            ]}
          />
          <Upload accept=".csv,.xlsx" showUploadList={false} beforeUpload={(f) => void upload(f)}>
            <Button>选择文件并校验</Button>
          </Upload>
          <a href={`/api/imports/templates/${kind}`}>下载模板</a>
        </Space>
        {report && (
          <div style={{ marginTop: 16 }}>
            <ImportReport report={report} />
            <AttestedSubmit disabled={report.validRows === 0} loading={submit.isPending} onSubmit={() => submit.mutate()}>
              提交审核
            </AttestedSubmit>
          </div>
        )}
      </Modal>
    </Card>
  );
}
