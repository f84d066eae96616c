/**
 * The flows the operator console knows (SPEC "Operating the flows"): their
 * names, who a flow can wait for, and which operator actions each supports.
 * The workflows report their stage in these terms (workflows/flow-state.ts).
 */
export const FLOW_TYPES = [
  'member-onboarding',
  'signing-batch',
  'split-rule',
  'import-window',
  'batch-import',
  'member-migration',
  'monthly-statements',
  'member-event-delivery',
  'application-onboarding',
  'corporate-account',
] as const;
export type FlowType = (typeof FLOW_TYPES)[number];

export const FLOW_LABELS: Record<FlowType, string> = {
  'member-onboarding': '会员开户',
  'signing-batch': '批量发送签约链接',
  'split-rule': '分账规则签约',
  'import-window': '批导入口开放',
  'batch-import': '会员批导',
  'member-migration': '会员迁移',
  'monthly-statements': '月对账单开通',
  'member-event-delivery': '会员事件推送',
  'application-onboarding': '应用开通与上线',
  'corporate-account': '对公户验证',
};

export const WAITING_FOR = ['MEMBER', 'PLATFORM', 'REVIEWER', 'OPERATOR', 'SYSTEM', 'NOBODY'] as const;
export type WaitingFor = (typeof WAITING_FOR)[number];

export const WAITING_FOR_LABELS: Record<WaitingFor, string> = {
  MEMBER: '会员',
  PLATFORM: '平台',
  REVIEWER: '审核人员',
  OPERATOR: '运营人员',
  SYSTEM: '系统',
  NOBODY: '无（已结束）',
};

export type OperatorAction = 'cancel' | 'retry' | 'extend' | 'resend';

/** Actions a flow type supports at all; whether the current stage allows one is the workflow's answer. */
export const FLOW_ACTIONS: Record<FlowType, OperatorAction[]> = {
  'member-onboarding': ['cancel', 'retry', 'extend', 'resend'],
  'signing-batch': ['cancel', 'retry'],
  'split-rule': ['resend'],
  'import-window': ['cancel', 'extend'],
  'batch-import': ['cancel', 'retry'],
  'member-migration': ['cancel'],
  'monthly-statements': ['retry'],
  'member-event-delivery': [],
  'application-onboarding': ['cancel', 'retry', 'extend', 'resend'],
  'corporate-account': ['cancel', 'retry'],
};

/** The longest an onboarding link may live, counted from when it was issued (7 days, extended at most to 30). */
export const ONBOARDING_MAX_DAYS = 30;
