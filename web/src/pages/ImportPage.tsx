import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Progress, Select, Space, Statistic, Table, Tag, Upload } from 'antd';
import { useState } from 'react';
import { api } from '../api';
import { AttestedSubmit, ImportReport, type ImportTaskView, TASK_STATUS } from '../components/ImportReport';
import { usePagedList } from '../components/usePagedList';
import { formatTime } from '../labels';

interface WindowView {
  open: boolean;
  window: { id: string; status: string; reason: string; openedAt: string | null; closesAt: string | null; closedNote: string | null; createdAt: string } | null;
}
interface TaskRow {
  id: string;
  kind: string;
  fileName: string;
  status: string;
  totalRows: number;
  invalidRows: number;
  processed: number;
  succeeded: number;
  failed: number;
  createdAt: string;
}
const KIND_OPTIONS = [
  { value: 'INDIVIDUAL', label: '个人会员' },
  { value: 'ENTERPRISE', label: '企业会员' },
  { value: 'BANK_CARD', label: '银行卡绑定' },
];

/** 会员批导: request the window, download templates, upload, read the report, submit, follow progress, get the 回盘文件. */
export function ImportPage() {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [requesting, setRequesting] = useState(false);
  const [kind, setKind] = useState('INDIVIDUAL');
  const [report, setReport] = useState<ImportTaskView | null>(null);
  const [uploading, setUploading] = useState(false);
  const window = useQuery({ queryKey: ['import-window'], queryFn: () => api<WindowView>('GET', '/api/imports/window'), refetchInterval: 10_000 });
  const { tableProps } = usePagedList<TaskRow, Record<string, string>>(
    'import-tasks',
    '/api/imports',
    {},
    {
      refreshWhile: (rows) => rows.some((t) => t.status === 'EXECUTING' || t.status === 'IN_REVIEW'),
    },
  );

  const request = useMutation({
    mutationFn: (reason: string) => api<WindowView>('POST', '/api/imports/window/requests', { reason }),
    // The answer is the window as it now stands: shown at once, not after another round trip.
    // A read still in flight from before the request would overwrite it with the old window, so it is cancelled first.
    onSuccess: async (view) => {
      message.success('已提交开放申请，等待分公司审核');
      setRequesting(false);
      await queryClient.cancelQueries({ queryKey: ['import-window'] });
      queryClient.setQueryData(['import-window'], view);
    },
    onError: (e: Error) => message.error(e.message),
  });
  const submit = useMutation({
    mutationFn: (id: string) => api('POST', `/api/imports/${id}/submission`, { consentAttested: true }),
    onSuccess: () => (message.success('已提交审核'), setReport(null), void queryClient.invalidateQueries({ queryKey: ['import-tasks'] })),
    onError: (e: Error) => message.error(e.message),
  });
  const upload = async (file: File) => {
    const body = new FormData();
    body.append('kind', kind);
    body.append('file', file);
    setUploading(true);
    try {
      setReport(await api<ImportTaskView>('POST', '/api/imports', body));
      void queryClient.invalidateQueries({ queryKey: ['import-tasks'] });
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setUploading(false);
    }
    return false;
  };

  const w = window.data;
  const leftMs = w?.open && w.window?.closesAt ? Date.parse(w.window.closesAt) - Date.now() : 0;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Card title="会员批导">
        {w?.open ? (
          <Space size="large" align="center" wrap>
            <Tag color="success">入口已开放</Tag>
            <Statistic.Timer type="countdown" title="距自动关闭" value={Date.now() + leftMs} format="D 天 H 时 m 分" />
            <span>关闭时间：{formatTime(w.window!.closesAt)}</span>
          </Space>
        ) : (
          <Space direction="vertical">
            <Alert
              type="info"
              showIcon
              message={
                w?.window?.status === 'REQUESTED' ? '开放申请已提交，等待分公司审核' : '会员批导入口默认不开放。申请通过后开放14个自然日，到期自动关闭。'
              }
              description={w?.window?.closedNote ? `上次申请：${w.window.closedNote}` : undefined}
            />
            {w?.window?.status !== 'REQUESTED' && (
              <Button type="primary" onClick={() => setRequesting(true)}>
                申请开放批导入口
              </Button>
            )}
          </Space>
        )}
      </Card>
      {w?.open && (
        <Card
          title="上传文件"
          extra={
            <span>
              下载模板：
              {KIND_OPTIONS.map((k) => (
                <a key={k.value} style={{ marginLeft: 8 }} href={`/api/imports/templates/${k.value}`}>
                  {k.label}
                </a>
              ))}
            </span>
          }
        >
          <Space>
            <Select value={kind} onChange={setKind} options={KIND_OPTIONS} style={{ width: 140 }} />
            <Upload accept=".csv,.xlsx" showUploadList={false} beforeUpload={(f) => void upload(f)}>
              <Button loading={uploading}>选择文件并校验（CSV UTF-8/GBK 或 XLSX，≤50MB，≤20万行）</Button>
            </Upload>
          </Space>
          {report && (
            <div style={{ marginTop: 16 }}>
              <ImportReport report={report} />
              <AttestedSubmit disabled={report.validRows === 0} loading={submit.isPending} onSubmit={() => submit.mutate(report.id)}>
                提交审核（{report.validRows} 行有效，{report.invalidRows} 行将不执行）
              </AttestedSubmit>
            </div>
          )}
        </Card>
      )}
      <Card title="批导任务">
        <Table<TaskRow>
          {...tableProps}
          columns={[
            { title: '文件', dataIndex: 'fileName' },
            { title: '类型', dataIndex: 'kind', render: (k: string) => KIND_OPTIONS.find((o) => o.value === k)?.label },
            { title: '状态', dataIndex: 'status', render: (s: string) => <Tag color={TASK_STATUS[s]?.color}>{TASK_STATUS[s]?.text ?? s}</Tag> },
            { title: '行数', render: (_, t) => `${t.totalRows}（校验未通过 ${t.invalidRows}）` },
            {
              title: '执行进度',
              render: (_, t) =>
                t.status === 'EXECUTING' || t.status === 'COMPLETED' ? (
                  <Progress
                    size="small"
                    style={{ width: 160 }}
                    percent={Math.floor((t.processed / t.totalRows) * 100)}
                    status={t.status === 'COMPLETED' ? 'success' : 'active'}
                  />
                ) : (
                  '-'
                ),
            },
            { title: '成功 / 失败', render: (_, t) => (t.processed ? `${t.succeeded} / ${t.failed}` : '-') },
            { title: '上传时间', dataIndex: 'createdAt', render: formatTime },
            {
              title: '操作',
              render: (_, t) => (
                <Space>
                  {t.status === 'VALIDATED' && <a onClick={() => void api<ImportTaskView>('GET', `/api/imports/${t.id}`).then(setReport)}>查看校验报告</a>}
                  {t.status === 'COMPLETED' && <a href={`/api/imports/${t.id}/result`}>下载回盘文件</a>}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Modal open={requesting} title="申请开放会员批导入口" footer={null} onCancel={() => setRequesting(false)} destroyOnHidden>
        <Form layout="vertical" onFinish={(v: { reason: string }) => request.mutate(v.reason)}>
          <Form.Item label="申请原因" name="reason" rules={[{ required: true, min: 2, message: '请填写申请原因' }]}>
            <Input.TextArea maxLength={500} rows={3} placeholder="如：存量会员一次性导入" />
          </Form.Item>
          <Descriptions size="small" column={1}>
            <Descriptions.Item label="说明">审核通过后入口开放14个自然日，到期自动关闭。</Descriptions.Item>
          </Descriptions>
          <Button type="primary" htmlType="submit" loading={request.isPending} block>
            提交申请
          </Button>
        </Form>
      </Modal>
    </Space>
  );
}
