import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Descriptions, Empty, Row, Space, Tag } from 'antd';
import { useNavigate } from 'react-router-dom';
import { api } from '../api';

interface ProviderHome {
  provider: { id: string; name: string };
  applications: {
    id: string;
    appNo: string;
    name: string;
    fundMode: string;
    environment: 'TEST' | 'PRODUCTION';
    live: boolean;
    members: number;
    products: string[];
  }[];
}

/** 服务商首页: its applications with the products each opened; 进入应用 acts inside one. */
export function ProviderHomePage() {
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const home = useQuery({ queryKey: ['provider-home'], queryFn: () => api<ProviderHome>('GET', '/api/provider/home') });
  const enter = useMutation({
    mutationFn: (id: string) => api('POST', `/api/provider/applications/${id}/enter`),
    onSuccess: async () => {
      queryClient.clear();
      void navigate('/members/individual');
    },
    onError: (e: Error) => message.error(e.message),
  });
  const h = home.data;
  return (
    <Card title={`服务商首页${h ? `：${h.provider.name}` : ''}`} loading={home.isLoading}>
      {h && h.applications.length === 0 && <Empty description="暂无应用" />}
      <Row gutter={[16, 16]}>
        {h?.applications.map((a) => (
          <Col key={a.id} xs={24} md={12} xl={8}>
            <Card
              size="small"
              title={`${a.name}（${a.appNo}）`}
              extra={
                a.environment === 'TEST' ? (
                  <Tag color="magenta">测试环境</Tag>
                ) : a.live ? (
                  <Tag color="success">已上线</Tag>
                ) : (
                  <Tag color="processing">测试联调中</Tag>
                )
              }
              actions={[
                <Button key="enter" type="link" loading={enter.isPending} onClick={() => enter.mutate(a.id)} data-testid={`enter-${a.appNo}`}>
                  进入应用
                </Button>,
              ]}
            >
              <Descriptions size="small" column={1}>
                <Descriptions.Item label="已开通产品">
                  <Space wrap size={4}>
                    {a.products.map((p) => (
                      <Tag key={p}>{p}</Tag>
                    ))}
                  </Space>
                </Descriptions.Item>
                <Descriptions.Item label="会员数">{a.members}</Descriptions.Item>
              </Descriptions>
            </Card>
          </Col>
        ))}
      </Row>
    </Card>
  );
}
