import type { Me } from './api';
import { SIGNING_LINK_STATUS_LABELS } from '../../domain/agreement';
import { MEMBER_STATUS_LABELS } from '../../domain/onboarding';

export { STAGE_LABELS, STEP_LABELS } from '../../domain/onboarding';
export { FLOW_LABELS, WAITING_FOR_LABELS } from '../../domain/flows';
export { MEMBER_EVENT_LABELS } from '../../domain/member-events';

const MEMBER_STATUS_COLORS: Record<string, string> = { PENDING: 'processing', NORMAL: 'success', EXPIRED: 'default' };
export const MEMBER_STATUS: Record<string, { text: string; color: string }> = Object.fromEntries(
  Object.entries(MEMBER_STATUS_LABELS).map(([status, text]) => [status, { text, color: MEMBER_STATUS_COLORS[status] ?? 'default' }]),
);

export const STAGE_COLORS: Record<string, string> = {
  CONFIRMATION: 'gold',
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
  BRANCH_USER: '分公司业务',
  OPERATOR: '总部运营',
};

/**
 * Each role's main page. Login goes straight there, and the portal frame
 * redirects "/" before it renders its menu: a redirect that ran after the
 * menu was clickable could undo the user's first click.
 */
export const ROLE_HOME: Record<Me['user']['role'], string> = {
  APPLICATION: '/members/individual',
  OPERATOR: '/ops/workflows',
  REVIEWER: '/reviews',
  BRANCH_USER: '/app-onboardings',
  MEMBER: '/member',
  SERVICE_PROVIDER: '/',
};

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '-';
  return new Date(iso).toLocaleString('zh-CN', { hour12: false });
}

const LINK_COLORS: Record<string, string> = {
  PENDING: 'default',
  SENT: 'processing',
  OPENED: 'cyan',
  SIGNED: 'success',
  EXPIRED: 'default',
  REVOKED: 'warning',
};
export const LINK_STATUS: Record<string, { text: string; color: string }> = Object.fromEntries(
  Object.entries(SIGNING_LINK_STATUS_LABELS).map(([status, text]) => [status, { text, color: LINK_COLORS[status] ?? 'default' }]),
);

export const RULE_STATE: Record<string, { text: string; color: string }> = {
  PENDING_SIGNATURE: { text: '待签约', color: 'processing' },
  EFFECTIVE: { text: '已生效', color: 'success' },
  DISABLED: { text: '已停用', color: 'default' },
};

export function formatFen(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '-';
  return `¥${(fen / 100).toFixed(2)}`;
}
