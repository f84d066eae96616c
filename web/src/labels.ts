export { STAGE_LABELS, STEP_LABELS } from '../../domain/onboarding';

export const MEMBER_STATUS: Record<string, { text: string; color: string }> = {
  PENDING: { text: '开户中', color: 'processing' },
  NORMAL: { text: '正常', color: 'success' },
  EXPIRED: { text: '链接已过期', color: 'default' },
};

export const STAGE_COLORS: Record<string, string> = {
  INFORMATION: 'blue',
  PHONE_BINDING: 'cyan',
  AGREEMENT_SIGNING: 'purple',
  COMPLETED: 'green',
  EXPIRED: 'default',
  CANCELLED: 'red',
};

export const ROLE_LABELS: Record<string, string> = {
  SERVICE_PROVIDER: '服务商',
  APPLICATION: '应用（平台）',
  MEMBER: '会员',
  REVIEWER: '分公司审核',
  OPERATOR: '总部运营',
};

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '-';
  return new Date(iso).toLocaleString('zh-CN', { hour12: false });
}
