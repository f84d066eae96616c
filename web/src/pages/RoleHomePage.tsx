import { Result } from 'antd';
import { Navigate } from 'react-router-dom';
import { useMe } from '../components/PortalLayout';
import { ROLE_LABELS } from '../labels';
import { ProviderHomePage } from './ProviderHomePage';

/** Sends each role to its main page. */
export function RoleHomePage() {
  const me = useMe();
  const role = me.data?.user.role;
  if (role === 'APPLICATION') return <Navigate to="/members/individual" replace />;
  if (role === 'OPERATOR') return <Navigate to="/ops/workflows" replace />;
  if (role === 'REVIEWER') return <Navigate to="/reviews" replace />;
  if (role === 'SERVICE_PROVIDER') return <ProviderHomePage />;
  if (role === 'MEMBER') return <Navigate to="/member" replace />;
  return (
    <Result
      status="info"
      title={`欢迎，${me.data?.user.displayName ?? ''}`}
      subTitle={`${role ? ROLE_LABELS[role] : ''}的工作台将在后续版本提供。`}
    />
  );
}
