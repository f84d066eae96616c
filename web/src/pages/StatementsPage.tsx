import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Form, Input, Modal, Space, Table, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../api';
import { formatTime } from '../labels';

interface Overview {
  enablement: null | { id: string; status: string; appliedMonth: string; rejectedReason: string | null; createdAt: string };
  statements: { month: string; version: number; rowCount: number; total: string; generatedAt: string }[];
}
const ENABLEMENT: Record<string, { text: string; color: string }> = {
  IN_REVIEW: { text: '分公司审核中', color: 'processing' },
  AWAITING_CONFIGURATION: { text: '待总部运营配置', color: 'gold' },
  ENABLED: { text: '已开通', color: 'success' },
  REJECTED: { text: '未通过', color: 'error' },
};

/** 账务与对账: daily statements (txt / Excel), monthly statements (Excel) and 月对账单开通. */
export function StatementsPage() {
  const { message } = App.useApp();
  const [day, setDay] = useState<Dayjs>(dayjs().subtract(1, 'day'));
  const [applying, setApplying] = useState(false);
  const overview = useQuery({ queryKey: ['statements'], queryFn: () => api<Overview>('GET', '/api/statements/monthly') });
  const apply = useMutation({
    mutationFn: (reason: string) => api('POST', '/api/statements/enablement', { reason }),
    onSuccess: () => (message.success('已提交开通申请'), setApplying(false), void overview.refetch()),
    onError: (e: Error) => message.error(e.message),
  });
  const e = overview.data?.enablement;
  const key = day.format('YYYY-MM-DD');
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Card title="日对账单">
        <Space>
          <DatePicker value={day} allowClear={false} onChange={(d) => d && setDay(d)} disabledDate={(d) => !d.isBefore(dayjs(), 'day')} />
          <a href={`/api/statements/daily/${key}?format=txt`}>下载 txt</a>
          <a href={`/api/statements/daily/${key}?format=xlsx`}>下载 Excel</a>
        </Space>
      </Card>
      <Card
        title="月对账单"
        extra={
          (!e || e.status === 'REJECTED') && (
            <Button type="primary" onClick={() => setApplying(true)}>
              申请开通月对账单
            </Button>
          )
        }
      >
        {!e ? (
          <Alert type="info" showIcon message="月对账单需申请开通：分公司审核、总部运营配置后，次月起每月1日生成上月的月对账单；申请月之前的月份不支持生成。" />
        ) : (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Space>
              <Tag color={ENABLEMENT[e.status]?.color}>{ENABLEMENT[e.status]?.text}</Tag>
              <span>
                申请时间 {formatTime(e.createdAt)}，自 {e.appliedMonth} 起提供
              </span>
              {e.rejectedReason && <span>{e.rejectedReason}</span>}
            </Space>
            <Table
              size="small"
              rowKey={(s) => `${s.month}-${s.version}`}
              pagination={false}
              dataSource={overview.data?.statements ?? []}
              locale={{ emptyText: e.status === 'ENABLED' ? '次月1日生成上月对账单' : '暂无' }}
              columns={[
                { title: '对账月份', dataIndex: 'month' },
                { title: '版本', dataIndex: 'version' },
                { title: '笔数', dataIndex: 'rowCount' },
                { title: '生成时间', dataIndex: 'generatedAt', render: formatTime },
                { title: '操作', render: (_, s) => <a href={`/api/statements/monthly/${s.month}`}>下载 Excel</a> },
              ]}
            />
          </Space>
        )}
      </Card>
      <Modal open={applying} title="申请开通月对账单" footer={null} onCancel={() => setApplying(false)} destroyOnHidden>
        <Form layout="vertical" onFinish={(v: { reason: string }) => apply.mutate(v.reason)}>
          <Form.Item label="申请原因" name="reason" rules={[{ required: true, min: 2, message: '请填写申请原因' }]}>
            <Input.TextArea maxLength={500} rows={3} />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={apply.isPending}>
            提交申请
          </Button>
        </Form>
      </Modal>
    </Space>
  );
}
