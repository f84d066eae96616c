import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Layout, Menu, Space, Spin, Tag, Typography } from 'antd';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { ApiError, api, type Me } from '../api';
import { ROLE_HOME, ROLE_LABELS } from '../labels';

export function useMe() {
  return useQuery({ queryKey: ['me'], queryFn: () => api<Me>('GET', '/api/auth/me') });
}

/** The portal frame: menu by role, the signed-in user, sign-out. */
export function PortalLayout() {
  const me = useMe();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  if (me.isLoading) return <Spin fullscreen />;
  if (me.error) {
    if (me.error instanceof ApiError && me.error.status === 401) return <Navigate to="/login" replace />;
    return <Typography.Text type="danger">{me.error.message}</Typography.Text>;
  }
  const { user, links } = me.data!;
  // An initial password is changed before anything else (the API refuses everything else meanwhile).
  if (user.mustChangePassword && location.pathname !== '/change-password') return <Navigate to="/change-password" replace />;
  if (location.pathname === '/' && ROLE_HOME[user.role] !== '/') return <Navigate to={ROLE_HOME[user.role]} replace />;
  // 收单商户管理 and 会员签约链接查询 exist for post-settlement (账后结算) applications only.
  const postSettlement = user.application?.fundMode === 'POST_SETTLEMENT';
  const items =
    user.role === 'APPLICATION'
      ? [
          {
            key: 'members',
            label: '会员管理',
            children: [
              { key: '/members/enterprise', label: '企业会员查询' },
              { key: '/members/individual', label: '个人会员查询' },
              { key: '/members/bank-cards', label: '银行卡查询' },
              ...(postSettlement ? [{ key: '/members/acquiring', label: '收单商户管理' }] : []),
              { key: '/members/import', label: '会员批导' },
              { key: '/migrations', label: '会员迁移' },
            ],
          },
          {
            key: 'agreements',
            label: '协议管理',
            children: [
              { key: '/agreements/member', label: '会员协议管理' },
              { key: '/agreements/payment-account', label: '会员支付账户协议管理' },
              ...(postSettlement ? [{ key: '/agreements/signing-links', label: '会员签约链接查询' }] : []),
            ],
          },
          {
            key: 'orders',
            label: '订单管理',
            children: [
              { key: '/orders', label: '订单查询' },
              { key: '/orders/guarantee-links', label: '担保消费关联查询' },
            ],
          },
          {
            key: 'accounts',
            label: '账户管理',
            children: [{ key: '/accounts', label: '会员账户查询' }],
          },
          {
            key: 'split',
            label: '分账管理',
            children: [
              { key: '/split/rules', label: '分账抽佣规则管理' },
              { key: '/split/orders', label: '分账订单明细查询' },
            ],
          },
          { key: '/statements', label: '账务与对账' },
          { key: '/webhooks', label: '事件推送' },
          {
            key: 'centre',
            label: '应用中心',
            children: [
              { key: '/centre/overview', label: '数据概览' },
              { key: '/centre/basic-info', label: '基本信息' },
              { key: '/centre/certificates', label: '证书管理' },
              { key: '/centre/wechat-pay', label: '微信支付参数设置' },
            ],
          },
          {
            key: 'payment-solutions',
            label: '支付解决方案',
            children: [
              { key: '/payment-solutions/b2b-store', label: '小程序B2B门店助手参数' },
              { key: '/payment-solutions/weiqifu', label: '微企付' },
            ],
          },
        ]
      : user.role === 'OPERATOR'
        ? [
            { key: '/ops/workflows', label: '流程监控' },
            { key: '/ops/import-windows', label: '批导入口管理' },
            { key: '/migrations', label: '会员迁移配置' },
            { key: '/ops/statement-enablements', label: '月对账单配置' },
            { key: '/ops/providers', label: '服务商对接配置' },
            { key: '/ops/staff', label: '人员管理' },
          ]
        : user.role === 'REVIEWER'
          ? [
              { key: '/reviews', label: '审核队列' },
              { key: '/app-onboardings', label: '应用开通与上线' },
              { key: '/migrations', label: '会员迁移申请' },
            ]
          : user.role === 'BRANCH_USER'
            ? [
                { key: '/app-onboardings', label: '应用开通与上线' },
                { key: '/migrations', label: '会员迁移申请' },
              ]
            : user.role === 'SERVICE_PROVIDER'
              ? [
                  { key: '/', label: '首页' },
                  { key: 'products', label: '产品管理', children: [{ key: '/provider/product-users', label: '用户管理' }] },
                  { key: '/provider/accounts', label: '账户管理' },
                  { key: '/provider/certificates', label: '服务商密钥' },
                ]
              : user.role === 'MEMBER'
                ? [
                    { key: '/member', label: '我的信息' },
                    { key: '/member/movements', label: '账户明细' },
                  ]
                : [{ key: '/', label: '首页' }];
  const leaveApplication = async () => {
    await api('POST', '/api/auth/leave-application');
    queryClient.clear();
    void navigate('/');
  };
  const logout = async () => {
    await api('POST', '/api/auth/logout');
    queryClient.clear();
    void navigate('/login');
  };
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', paddingInline: 24 }}>
        <Typography.Title level={4} style={{ color: '#fff', margin: 0 }}>
          云商通开户平台
        </Typography.Title>
        <Space>
          {links.outbox && (
            <a href={links.outbox} target="_blank" rel="noreferrer" style={{ color: '#ffd591' }}>
              开发发件箱
            </a>
          )}
          {user.actingForProvider ? <Tag color="purple">服务商代操作</Tag> : <Tag color="orange">{ROLE_LABELS[user.role]}</Tag>}
          {/* 测试联调 happens in the test environment: its data never reaches production. */}
          {user.application?.environment === 'TEST' && (
            <Tag color="magenta" data-testid="environment">
              测试环境
            </Tag>
          )}
          <Typography.Text style={{ color: '#fff' }} data-testid="current-user">
            {user.application ? `${user.application.name}（${user.application.appNo}）` : user.displayName}
          </Typography.Text>
          {user.actingForProvider && (
            <Button size="small" type="primary" onClick={leaveApplication}>
              退出应用
            </Button>
          )}
          {user.hasPassword !== false && (
            <Button size="small" onClick={() => navigate('/change-password')}>
              修改密码
            </Button>
          )}
          <Button size="small" onClick={logout}>
            退出
          </Button>
        </Space>
      </Layout.Header>
      <Layout>
        <Layout.Sider width={200} theme="light">
          <Menu
            mode="inline"
            defaultOpenKeys={['members', ...items.filter((g) => 'children' in g && g.children?.some((c) => c.key === location.pathname)).map((g) => g.key)]}
            selectedKeys={[location.pathname]}
            items={items}
            onClick={(e) => navigate(e.key)}
          />
        </Layout.Sider>
        <Layout.Content style={{ padding: 24 }}>
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
