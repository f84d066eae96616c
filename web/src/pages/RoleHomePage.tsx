import { Result } from 'antd';
import { useMe } from '../components/PortalLayout';
import { ROLE_LABELS } from '../labels';
import { ProviderHomePage } from './ProviderHomePage';

/** "/" for the roles whose home is "/" itself (the others are redirected by the portal frame). */
export function RoleHomePage() {
  const me = useMe();
  const role = me.data?.user.role;
  if (role === 'SERVICE_PROVIDER') return <ProviderHomePage />;
  return <Result status="info" title={`欢迎，${me.data?.user.displayName ?? ''}`} subTitle={`${role ? ROLE_LABELS[role] : ''}的工作台将在后续版本提供。`} />;
}
