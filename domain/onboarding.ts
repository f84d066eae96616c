/** Vocabulary of member onboarding, shared by the workflow, the API and the UI. */

export type MemberType = 'INDIVIDUAL' | 'ENTERPRISE';
export type OnboardingMode = 'SELF_SERVICE' | 'PROXY';
export type OnboardingStage = 'CONFIRMATION' | 'INFORMATION' | 'PHONE_BINDING' | 'AGREEMENT_SIGNING' | 'COMPLETED' | 'EXPIRED' | 'CANCELLED';

/** Sub-steps of information collection: one for persons, three for enterprises. */
export type InformationStep = 'REAL_NAME' | 'COMPANY' | 'LEGAL_REPRESENTATIVE' | 'LICENCES';

export const INFORMATION_STEPS: Record<MemberType, readonly InformationStep[]> = {
  INDIVIDUAL: ['REAL_NAME'],
  ENTERPRISE: ['COMPANY', 'LEGAL_REPRESENTATIVE', 'LICENCES'],
};

export const STAGE_LABELS: Record<OnboardingStage, string> = {
  CONFIRMATION: '待会员确认',
  INFORMATION: '信息采集',
  PHONE_BINDING: '手机绑定',
  AGREEMENT_SIGNING: '协议签约',
  COMPLETED: '开户完成',
  EXPIRED: '链接已过期',
  CANCELLED: '已取消',
};

/** 会员状态 as the lists and exports show it. */
export const MEMBER_STATUS_LABELS: Record<string, string> = { PENDING: '开户中', NORMAL: '正常', EXPIRED: '链接已过期' };

export const STEP_LABELS: Record<InformationStep, string> = {
  REAL_NAME: '实名信息',
  COMPANY: '企业基本信息',
  LEGAL_REPRESENTATIVE: '法人信息',
  LICENCES: '证照上传',
};

/** What the history says when a step is done; the last step of a type ends information collection. */
export const STEP_DONE_NOTES: Record<InformationStep, string> = {
  REAL_NAME: '实名信息已采集，银行卡四要素认证通过',
  COMPANY: '企业基本信息已采集',
  LEGAL_REPRESENTATIVE: '法人信息已采集',
  LICENCES: '证照已上传，企业信息采集完成',
};

/**
 * 认证中 — the verification vendor gave no verdict while the member waited on the page. The flow
 * keeps the submission and asks again by itself; meanwhile the link does not expire. When the
 * verdict comes, the link's expiry moves later by exactly the time the member waited on the vendor
 * (a member with 2 days left before the outage still has 2 days after it). After
 * VERIFICATION_WAIT_LIMIT_DAYS without a verdict the flow stops asking and the member submits again.
 */
export const VERIFICATION_WAIT_LIMIT_DAYS = 7;
export const VERIFICATION_PENDING_NOTE = '认证服务暂时无应答，实名信息认证中，系统将自动重试';
export const VERIFICATION_GAVE_UP_NOTE = '认证服务长时间无应答，请重新提交实名信息';
/** The same for an enterprise's 企业四要素 (submitted at 法人信息, the same rule). */
export const ENTERPRISE_VERIFICATION_GAVE_UP_NOTE = '认证服务长时间无应答，请重新提交法人信息';

/** 企业四要素 did not match the company entered: the member enters 企业基本信息 again. */
export const COMPANY_REOPENED_NOTE = '企业信息核验未通过，请重新填写企业基本信息';

/**
 * Which 企业四要素 refusal sends the member back to 企业基本信息: the company's name or credit code
 * (or the company as a whole, e.g. 注销) did not match; a wrong representative stays on 法人信息.
 */
export function refusalReopensCompany(element: string | null): boolean {
  return element === 'companyName' || element === 'creditCode' || element === null;
}

export const TERMINAL_STAGES: readonly OnboardingStage[] = ['COMPLETED', 'EXPIRED', 'CANCELLED'];

export function nextInformationStep(type: MemberType, done: readonly string[]): InformationStep | null {
  return INFORMATION_STEPS[type].find((s) => !done.includes(s)) ?? null;
}

/** The agreement a member signs at the end of onboarding (会员服务协议). */
export const MEMBER_AGREEMENT = {
  kind: 'MEMBER_SERVICE',
  title: '云商通会员服务协议',
  version: '2026-01',
} as const;
