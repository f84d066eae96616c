import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Result, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { changePasswordSchema, resetCodeSchema, resetPasswordSchema } from '../../../api/auth/schemas';
import { passwordProblem } from '../../../domain/passwords';
import { api, zodRule } from '../api';
import { useMe } from '../components/PortalLayout';

const PASSWORD_HINT = '至少8位，包含大写字母、小写字母、数字、符号中的至少三类，不能与最近5次密码相同';

/** The same rules the API applies, checked as the user types. */
const policyRule = {
  validator: async (_: unknown, value: string | undefined) => {
    const problem = value ? passwordProblem(value) : '请输入新密码';
    if (problem) throw new Error(problem);
  },
};

/** 新密码 and 确认新密码, as both the change and the reset forms ask for them. */
function NewPasswordFields() {
  return (
    <>
      <Form.Item label="新密码" name="newPassword" extra={PASSWORD_HINT} rules={[policyRule]}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        label="确认新密码"
        name="confirm"
        dependencies={['newPassword']}
        rules={[
          ({ getFieldValue }) => ({
            validator: async (_: unknown, value: unknown) => {
              if (value !== getFieldValue('newPassword')) throw new Error('两次输入的密码不一致');
            },
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </>
  );
}

/** 修改密码; at first login with an initial password it is the only page the portal shows. */
export function ChangePasswordPage() {
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const forced = me.data?.user.mustChangePassword;
  const submit = async (v: { currentPassword: string; newPassword: string }) => {
    setError(null);
    try {
      await api('POST', '/api/auth/password', { currentPassword: v.currentPassword, newPassword: v.newPassword });
      message.success('密码已修改');
      await queryClient.invalidateQueries({ queryKey: ['me'] });
      void navigate('/');
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Card title={forced ? '首次登录：请修改初始密码' : '修改密码'} style={{ maxWidth: 480 }}>
      {forced && <Alert type="warning" showIcon style={{ marginBottom: 16 }} message="为保障账户安全，初始密码须修改后才能使用其他功能。" />}
      {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={error} />}
      <Form layout="vertical" onFinish={submit}>
        <Form.Item label="当前密码" name="currentPassword" rules={[zodRule(changePasswordSchema.shape.currentPassword)]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <NewPasswordFields />
        <Button type="primary" htmlType="submit">
          确认修改
        </Button>
      </Form>
    </Card>
  );
}

/** 忘记密码: a code to the account's registered phone, then a new password (also lifts a lock-out). */
export function ForgotPasswordPage() {
  const [form] = Form.useForm();
  const [info, setInfo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const sendCode = async () => {
    setError(null);
    try {
      const username = await form.validateFields(['username']).then((v) => v.username as string);
      const res = await api<{ message: string }>('POST', '/api/auth/password-reset/code', { username });
      setInfo(res.message);
    } catch (e) {
      if (e instanceof Error) setError(e.message);
    }
  };
  const submit = async (v: { username: string; code: string; newPassword: string }) => {
    setError(null);
    try {
      await api('POST', '/api/auth/password-reset', { username: v.username, code: v.code, newPassword: v.newPassword });
      setDone(true);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f5f5f5' }}>
      <Card style={{ width: 420 }} title="忘记密码">
        {done ? (
          <Result status="success" title="密码已重置" extra={<Link to="/login">返回登录</Link>} />
        ) : (
          <>
            <Typography.Paragraph type="secondary">服务商与应用账号的验证码发送至登记的法人手机号。</Typography.Paragraph>
            {info && <Alert type="info" showIcon style={{ marginBottom: 16 }} message={info} />}
            {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={error} />}
            <Form form={form} layout="vertical" onFinish={submit}>
              <Form.Item label="账号（应用编号）" name="username" rules={[zodRule(resetCodeSchema.shape.username)]}>
                <Input autoComplete="username" />
              </Form.Item>
              <Form.Item label="短信验证码" required>
                <Space.Compact style={{ width: '100%' }}>
                  <Form.Item name="code" noStyle rules={[zodRule(resetPasswordSchema.shape.code)]}>
                    <Input id="code" maxLength={6} />
                  </Form.Item>
                  <Button onClick={sendCode}>获取验证码</Button>
                </Space.Compact>
              </Form.Item>
              <NewPasswordFields />
              <Button type="primary" htmlType="submit" block>
                重置密码
              </Button>
              <div style={{ marginTop: 12, textAlign: 'center' }}>
                <Link to="/login">返回登录</Link>
              </div>
            </Form>
          </>
        )}
      </Card>
    </div>
  );
}
