import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { loginSchema } from '../../../api/auth/schemas';
import { api, type Me, zodRule } from '../api';
import { ROLE_HOME } from '../labels';

/** 登录: application staff use their application number; other roles their user name. */
export function LoginPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const submit = async (values: { username: string; password: string }) => {
    setLoading(true);
    setError(null);
    try {
      const { user } = await api<{ user: Me['user'] }>('POST', '/api/auth/login', values);
      await queryClient.invalidateQueries({ queryKey: ['me'] });
      void navigate(user.mustChangePassword ? '/change-password' : ROLE_HOME[user.role]);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setLoading(false);
    }
  };
  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f5f5f5' }}>
      <Card style={{ width: 380 }}>
        <Typography.Title level={3} style={{ textAlign: 'center' }}>
          云商通开户平台
        </Typography.Title>
        {error && <Alert type="error" message={error} showIcon style={{ marginBottom: 16 }} />}
        <Form layout="vertical" onFinish={submit}>
          <Form.Item label="账号（应用编号）" name="username" rules={[zodRule(loginSchema.shape.username)]}>
            <Input placeholder="请输入应用编号或用户名" autoComplete="username" />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[zodRule(loginSchema.shape.password)]}>
            <Input.Password placeholder="请输入密码" autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={loading}>
            登录
          </Button>
          <div style={{ marginTop: 12, textAlign: 'right' }}>
            <Link to="/forgot-password">忘记密码？</Link>
            <Link to="/member-login" style={{ marginLeft: 16 }}>
              会员门户（首次登录 / 手机号登录）
            </Link>
          </div>
        </Form>
      </Card>
    </div>
  );
}
