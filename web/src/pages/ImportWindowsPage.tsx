import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, InputNumber, Modal, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { api } from '../api';
import { usePagedList } from '../components/usePagedList';
import { formatTime } from '../labels';

interface WindowRow {
  id: string;
  application: { appNo: string; name: string } | null;
  status: string;
  open: boolean;
  reason: string;
  openedAt: string | null;
  closesAt: string | null;
  closedNote: string | null;
  createdAt: string;
}

const STATUS: Record<string, { text: string; color: string }> = {
  REQUESTED: { text: '待审核', color: 'processing' },
  OPEN: { text: '开放中', color: 'success' },
  REJECTED: { text: '已驳回', color: 'error' },
  CLOSED: { text: '已关闭', color: 'default' },
};

/** 批导入口管理 (operator): every application's window; close early or extend, with a reason. */
export function ImportWindowsPage() {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [action, setAction] = useState<{ row: WindowRow; kind: 'extend' | 'close' } | null>(null);
  const { tableProps } = usePagedList<WindowRow, Record<string, string>>('import-windows', '/api/operator/import-windows', {});
  const act = useMutation({
    mutationFn: (v: { days?: number; reason: string }) =>
      action!.kind === 'extend'
        ? api('POST', `/api/operator/import-windows/${action!.row.id}/extension`, { days: v.days, reason: v.reason })
        : api('POST', `/api/operator/import-windows/${action!.row.id}/closing`, { reason: v.reason }),
    onSuccess: () => (message.success('已处理'), setAction(null), void queryClient.invalidateQueries({ queryKey: ['import-windows'] })),
    onError: (e: Error) => message.error(e.message),
  });
  return (
    <Card title="批导入口管理">
      <Table<WindowRow>
        {...tableProps}
        columns={[
          { title: '应用', render: (_, w) => (w.application ? `${w.application.name}（${w.application.appNo}）` : '-') },
          { title: '申请原因', dataIndex: 'reason' },
          { title: '状态', render: (_, w) => <Tag color={STATUS[w.status]?.color}>{STATUS[w.status]?.text}</Tag> },
          { title: '开放时间', dataIndex: 'openedAt', render: formatTime },
          { title: '关闭时间', render: (_, w) => formatTime(w.closedNote ? null : w.closesAt) },
          { title: '说明', dataIndex: 'closedNote', render: (n: string | null) => n ?? '-' },
          {
            title: '操作',
            render: (_, w) =>
              w.open && (
                <Space>
                  <a onClick={() => setAction({ row: w, kind: 'extend' })}>延期</a>
                  <a onClick={() => setAction({ row: w, kind: 'close' })}>提前关闭</a>
                </Space>
              ),
          },
        ]}
      />
      <Modal open={!!action} title={action?.kind === 'extend' ? '延长开放时间' : '提前关闭入口'} onCancel={() => setAction(null)} footer={null} destroyOnHidden>
        <Form layout="vertical" onFinish={(v) => act.mutate(v)} initialValues={{ days: 7 }}>
          {action?.kind === 'extend' && (
            <Form.Item label="延期天数" name="days" extra="累计开放不超过28个自然日">
              <InputNumber min={1} max={14} addonAfter="天" />
            </Form.Item>
          )}
          <Form.Item label="原因" name="reason" rules={[{ required: true, min: 2, message: '请填写原因' }]}>
            <Input.TextArea maxLength={200} />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={act.isPending}>
            确认
          </Button>
        </Form>
      </Modal>
    </Card>
  );
}
