import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, DatePicker, Descriptions, Row, Select, Space, Statistic, Table, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { MAX_TREND_DAYS, OVERVIEW_TYPES } from '../../../domain/data-overview';
import { api } from '../api';
import { LineChart } from '../components/LineChart';
import { formatFen, formatTime } from '../labels';

interface Figure {
  type: string;
  label: string;
  count: number;
  amountFen: number;
  commissionFen: number;
}

interface Trends {
  days: string[];
  series: { type: string; label: string; points: { day: string; count: number; amountFen: number; commissionFen: number }[] }[];
}

/** 应用中心 → 数据概览: today's figures (refreshed every 5 minutes) and trend charts over up to 90 days. */
export function DataOverviewPage() {
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().subtract(29, 'day'), dayjs()]);
  const [types, setTypes] = useState<string[]>(['CONSUMPTION', 'TOP_UP']);
  const today = useQuery({
    queryKey: ['overview'],
    queryFn: () =>
      api<{ day: string; refreshedAt: string | null; totals: (Omit<Figure, 'type'> & { key: string })[]; items: Figure[] }>(
        'GET',
        '/api/application-centre/overview',
      ),
    refetchInterval: 60_000,
  });
  const params = new URLSearchParams({ from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD'), types: types.join(',') });
  const trends = useQuery({
    queryKey: ['trends', params.toString()],
    enabled: types.length > 0,
    queryFn: () => api<Trends>('GET', `/api/application-centre/trends?${params}`),
  });
  const t = trends.data;
  const chart = (title: string, pick: (p: Trends['series'][number]['points'][number]) => number, format?: (v: number) => string, testId?: string) =>
    t && (
      <LineChart title={title} days={t.days} testId={testId} format={format} series={t.series.map((s) => ({ name: s.label, values: s.points.map(pick) }))} />
    );
  const yuanAxis = (fen: number) => (fen >= 1_000_000 ? `${(fen / 1_000_000).toFixed(1)}万` : `${Math.round(fen / 100)}`);
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={16}>
      <Card
        title={`今日交易（${today.data?.day ?? ''}）`}
        extra={<span style={{ color: '#888' }}>数据每5分钟刷新，更新于 {formatTime(today.data?.refreshedAt)}</span>}
        loading={today.isLoading}
      >
        {/* 当日入金、提现、退款 (入金: 充值、消费、担保支付), then each type on its own. */}
        <Row gutter={16} style={{ marginBottom: 16 }}>
          {today.data?.totals.map((t) => (
            <Col key={t.key} span={8}>
              <Card size="small" data-testid={`today-total-${t.key}`}>
                <Statistic title={`当日${t.label}笔数`} value={t.count} />
                <Statistic title={`当日${t.label}金额（元）`} value={formatFen(t.amountFen)} valueStyle={{ fontSize: 20 }} />
              </Card>
            </Col>
          ))}
        </Row>
        <Row gutter={16}>
          {today.data?.items.map((f) => (
            <Col key={f.type} span={4} style={{ minWidth: 160 }}>
              <Card size="small" data-testid={`today-${f.type}`}>
                <Statistic title={`${f.label}笔数`} value={f.count} />
                <Statistic title={`${f.label}金额（元）`} value={formatFen(f.amountFen)} valueStyle={{ fontSize: 18 }} />
              </Card>
            </Col>
          ))}
        </Row>
      </Card>
      <Card title="交易趋势">
        <Space wrap style={{ marginBottom: 12 }}>
          <DatePicker.RangePicker
            value={range}
            allowClear={false}
            disabledDate={(d) => d.isAfter(dayjs(), 'day')}
            onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
          />
          <Select
            mode="multiple"
            style={{ minWidth: 320 }}
            value={types}
            onChange={setTypes}
            placeholder="交易类型"
            options={Object.entries(OVERVIEW_TYPES).map(([value, label]) => ({ value, label }))}
          />
          <Tag>最多{MAX_TREND_DAYS}天</Tag>
        </Space>
        {trends.error && <Alert type="error" showIcon message={(trends.error as Error).message} />}
        {types.length === 0 && <Alert type="info" showIcon message="请至少选择一种交易类型" />}
        {t && (
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={12}>
              {chart('交易笔数', (p) => p.count, undefined, 'chart-count')}
            </Col>
            <Col xs={24} xl={12}>
              {chart('交易金额（元）', (p) => p.amountFen, yuanAxis, 'chart-amount')}
            </Col>
            <Col xs={24} xl={12}>
              {chart('平台佣金（元）', (p) => p.commissionFen, yuanAxis, 'chart-commission')}
            </Col>
          </Row>
        )}
      </Card>
    </Space>
  );
}

interface BasicInfo {
  appNo: string;
  name: string;
  serviceProvider: string;
  fundModeLabel: string;
  custodyLabel: string;
  live: boolean;
  liveAt: string | null;
  applicationAccountBalanceFen: number;
  bankBalanceFen: number | null;
  accounts: { kind: string; label: string; count: number; balanceFen: number }[];
  sameEntityAccounts: { member: string; accountNo: string; label: string; balanceFen: number }[];
}

/** 应用中心 → 基本信息. */
export function BasicInfoPage() {
  const info = useQuery({ queryKey: ['basic-info'], queryFn: () => api<BasicInfo>('GET', '/api/application-centre/basic-info') });
  const b = info.data;
  if (!b) return <Card loading title="基本信息" />;
  return (
    <Card title="基本信息">
      <Descriptions bordered size="small" column={2}>
        <Descriptions.Item label="应用编号">{b.appNo}</Descriptions.Item>
        <Descriptions.Item label="应用名称">{b.name}</Descriptions.Item>
        <Descriptions.Item label="所属服务商">{b.serviceProvider}</Descriptions.Item>
        <Descriptions.Item label="上线状态">
          {b.live ? <Tag color="success">已上线 {formatTime(b.liveAt)}</Tag> : <Tag color="processing">测试联调中</Tag>}
        </Descriptions.Item>
        <Descriptions.Item label="资金管理模式">{b.fundModeLabel}</Descriptions.Item>
        <Descriptions.Item label="资金存管">{b.custodyLabel}</Descriptions.Item>
        <Descriptions.Item label="应用账户余额（清算户+担保户，元）">{formatFen(b.applicationAccountBalanceFen)}</Descriptions.Item>
        <Descriptions.Item label="银行存管余额（元）">{b.bankBalanceFen === null ? '通联存管，不适用' : formatFen(b.bankBalanceFen)}</Descriptions.Item>
      </Descriptions>
      <Table
        style={{ marginTop: 16 }}
        rowKey="kind"
        size="small"
        pagination={false}
        dataSource={b.accounts}
        columns={[
          { title: '账户类型', dataIndex: 'label' },
          { title: '账户数', dataIndex: 'count' },
          { title: '余额合计（元）', dataIndex: 'balanceFen', render: formatFen },
        ]}
      />
      <Table
        style={{ marginTop: 16 }}
        title={() => '平台同主体账户（与平台同名的企业会员）'}
        rowKey="accountNo"
        size="small"
        pagination={false}
        dataSource={b.sameEntityAccounts}
        locale={{ emptyText: '无与平台同名的企业会员' }}
        columns={[
          { title: '会员', dataIndex: 'member' },
          { title: '账户号', dataIndex: 'accountNo' },
          { title: '账户类型', dataIndex: 'label' },
          { title: '余额（元）', dataIndex: 'balanceFen', render: formatFen },
        ]}
      />
    </Card>
  );
}
