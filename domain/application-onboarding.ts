/**
 * Application onboarding (SPEC F7, seeds 003 "接入流程"): the cooperation
 * agreement a customer signs, and the material checklist (客户入网材料清单) that
 * follows from its scenario. Which materials are required is decided here, in
 * one place, so the branch's form, the submission check and the reviewer's
 * view always agree.
 */

/** 合作协议: the standard KA agreement, or the industry edition's own service agreement. */
export const AGREEMENT_TYPES = {
  STANDARD: { label: '云商通标准版（KA客户）', agreement: '《基于大数据的商户服务平台系统服务协议》' },
  JINXIAOMAN: { label: '行业版·金小满', agreement: '《商户平台系统服务协议》' },
  LIANSUOTONG: { label: '行业版·连锁通', agreement: '《通联支付“连锁通”系统服务合作协议》' },
  SHANGYING_EDU: { label: '行业版·商赢教培', agreement: '《商赢教培系统服务协议》' },
  SHANGYING_COMMUNITY: { label: '行业版·商赢社区', agreement: '《商赢社区系统服务协议》' },
} as const;
export type AgreementType = keyof typeof AGREEMENT_TYPES;

export const MERCHANT_TYPES = { ENTERPRISE: '企业', INDIVIDUAL: '个人（个体）', PUBLIC_INSTITUTION: '事业单位' } as const;
export type MerchantType = keyof typeof MERCHANT_TYPES;

/** 支付产品非标申请. */
export const NON_STANDARD_REQUESTS = {
  FUND_POOLING: '资金归集',
  MONTHLY_FEE: '手续费月结',
  NON_STANDARD_RATE: '非标费率',
  SAME_ENTITY_WHITELIST: '同主体白名单',
  MINI_PROGRAM_CASHIER: '小程序收银台',
} as const;
export type NonStandardRequest = keyof typeof NON_STANDARD_REQUESTS;

/** What the branch says about the customer's business; the checklist follows from it. */
export interface OnboardingScenario {
  merchantType: MerchantType;
  /** 线上场景 (the customer sells through a platform of its own). */
  online: boolean;
  /** 线上网站场景: a website (ICP and network-security filing needed). Only with online. */
  website: boolean;
  /** 开通支付产品. */
  paymentProducts: boolean;
  /** 收银宝 (收付通): cashier products, with its own agreement and registration form. */
  cashier: boolean;
  /** 小程序B2B门店助手 (a payment product): the application gets its payment merchant (absent in older records). */
  b2bStoreAssistant?: boolean;
  /** 微企付 (a payment product): the application gets its 微企付 merchant (absent in older records). */
  weiqifu?: boolean;
  /** 代付、收托抵用 in an online scenario. */
  payoutOrCollection: boolean;
  /** 分账: split accounts between parties. */
  splitAccounts: boolean;
  /** A brand licence or franchise business (品牌授权协议或加盟协议). */
  brandOrFranchise: boolean;
  /** The account manager cannot yet provide the photo with the storefront: the site-visit video replaces it. */
  siteVisitVideoInsteadOfPhoto: boolean;
  /** For 资金归集: parent and child merchants are the same entity. */
  fundPoolingSameEntity: boolean;
  nonStandard: NonStandardRequest[];
}

export type MaterialStage = 'ONBOARDING' | 'GO_LIVE';
export type MaterialProvider = 'CUSTOMER' | 'BRANCH';

export interface ChecklistItem {
  code: string;
  stage: MaterialStage;
  provider: MaterialProvider;
  /** 分类 */
  category: string;
  /** 类型 */
  name: string;
  /** 材料说明 / 材料要求 */
  description: string;
  /** Who stamps or signs it (盖章要求), if anyone. */
  seal: string | null;
  required: boolean;
  /** Why it is required (or when it would be), in the document's words. */
  rule: string | null;
}

type Rule = { when: (s: OnboardingScenario) => boolean; required: (s: OnboardingScenario) => boolean; rule: string | null };
type Definition = Omit<ChecklistItem, 'required' | 'rule'> & Rule;

const always = () => true;
const never = () => false;
const pay = (s: OnboardingScenario) => s.paymentProducts;
const has = (r: NonStandardRequest) => (s: OnboardingScenario) => s.nonStandard.includes(r);

function material(
  code: string,
  stage: MaterialStage,
  provider: MaterialProvider,
  category: string,
  name: string,
  description: string,
  seal: string | null,
  rule: Partial<Rule> = {},
): Definition {
  return { code, stage, provider, category, name, description, seal, when: rule.when ?? always, required: rule.required ?? always, rule: rule.rule ?? null };
}

/** Every material of the document, in its order; `when` decides whether it is listed at all. */
const MATERIALS: Definition[] = [
  // 客户提供材料清单
  material('BUSINESS_LICENCE', 'ONBOARDING', 'CUSTOMER', '客户入网', '公司材料', '营业证件照片', null),
  material('LEGAL_REP_ID', 'ONBOARDING', 'CUSTOMER', '客户入网', '法人身份证', '法人证件肖像面+法人证件国徽面', null),
  material('ACCOUNT_OPENING_PROOF', 'ONBOARDING', 'CUSTOMER', '客户入网', '开户证明', '开户证明材料', null),
  material('INSTITUTION_CERTIFICATE', 'ONBOARDING', 'CUSTOMER', '客户入网', '事业单位法人证书照片', '事业单位法人证书照片', null, {
    when: (s) => s.merchantType === 'PUBLIC_INSTITUTION',
    rule: '商户类型为事业单位时需要',
  }),
  material('INDUSTRY_QUALIFICATION', 'ONBOARDING', 'CUSTOMER', '开通支付产品', '行业资质证明材料', '行业资质证明材料', null, {
    when: pay,
    required: never,
    rule: '根据行业情况提供',
  }),
  material(
    'BENEFICIAL_OWNER_FORM',
    'ONBOARDING',
    'CUSTOMER',
    '开通支付产品',
    '非自然人客户受益所有人信息登记表',
    '《非自然人客户受益所有人信息登记表》',
    '商户盖章',
    {
      when: (s) => pay(s) && s.merchantType !== 'INDIVIDUAL',
      rule: '非自然人客户开通支付产品需要',
    },
  ),
  material(
    'PLATFORM_SCREENSHOTS',
    'ONBOARDING',
    'CUSTOMER',
    '开通支付产品需要-线上场景',
    '平台相关截图',
    '平台相关截图（含平台品牌展现，交易流程截图至付款界面）',
    null,
    {
      when: (s) => s.online,
      rule: '线上场景必填',
    },
  ),
  material('ICP_FILING', 'ONBOARDING', 'CUSTOMER', '开通支付产品需要-线上场景', 'ICP备案', 'ICP备案许可证明', null, {
    when: (s) => s.online && s.website,
    rule: '线上网站场景必填',
  }),
  material('NETWORK_SECURITY_FILING', 'ONBOARDING', 'CUSTOMER', '开通支付产品需要-线上场景', '网安备案', '网安备案', null, {
    when: (s) => s.online && s.website,
    rule: '线上网站场景必填',
  }),
  material(
    'SUPPORTING_EVIDENCE',
    'ONBOARDING',
    'CUSTOMER',
    '开通支付产品',
    '其他辅助证明材料',
    '营业场所租赁合同等（反映商户经营业务范围和真实业务场景的辅助证明材料）',
    null,
    {
      when: pay,
      required: never,
    },
  ),
  material('SPLIT_AGREEMENT', 'ONBOARDING', 'CUSTOMER', '开通账户产品-审批', '相关分账协议', '相关分账协议', '双方盖章', {
    when: (s) => s.splitAccounts,
    rule: '开通分账时需要',
  }),
  material('BRAND_OR_FRANCHISE_AGREEMENT', 'ONBOARDING', 'CUSTOMER', '开通账户产品-审批', '相关分账协议', '品牌授权协议或加盟协议', null, {
    when: (s) => s.splitAccounts || s.brandOrFranchise,
    required: (s) => s.brandOrFranchise,
    rule: '品牌授权或加盟经营时需要',
  }),
  // 分公司提供材料清单
  material('RISK_RATING_FORM', 'ONBOARDING', 'BRANCH', '客户入网', '网络支付业务商户风险评级表', '《网络支付业务商户风险评级表》', null),
  material('STOREFRONT_PHOTO', 'ONBOARDING', 'BRANCH', '开通支付产品', '经营场所信息', '经营门头照片', null, { when: pay }),
  material('INTERIOR_PHOTO', 'ONBOARDING', 'BRANCH', '开通支付产品', '经营场所信息', '经营内景照片', null, { when: pay }),
  material('OPERATOR_HOLDING_ID_PHOTO', 'ONBOARDING', 'BRANCH', '开通支付产品', '经营场所信息', '经营者手持身份证件照', null, { when: pay }),
  material('OPERATOR_AT_STOREFRONT_PHOTO', 'ONBOARDING', 'BRANCH', '开通支付产品', '经营场所信息', '经营者与店铺门头合照', null, {
    when: pay,
    required: (s) => s.merchantType === 'INDIVIDUAL',
    rule: '商户类型-个人必填',
  }),
  material('SITE_VISIT_FORM', 'ONBOARDING', 'BRANCH', '开通支付产品', '商户考察材料', '《商户现场考察表》', '客户经理签字确认，分公司盖章', { when: pay }),
  material('MANAGER_AT_STOREFRONT_PHOTO', 'ONBOARDING', 'BRANCH', '开通支付产品', '商户考察材料', '客户经理与门头合照（异地需客户经理手持身份证）', null, {
    when: pay,
    required: (s) => !s.siteVisitVideoInsteadOfPhoto,
    rule: '无法提供时以现场考察视频代替',
  }),
  material('SITE_GPS_SCREENSHOT', 'ONBOARDING', 'BRANCH', '开通支付产品', '商户考察材料', '商户营业场所GPS定位截图', null, { when: pay }),
  material('MANAGER_WITH_LEGAL_REP_PHOTO', 'ONBOARDING', 'BRANCH', '开通支付产品', '商户考察材料', '客户经理与商户法人合照', null, {
    when: pay,
    required: never,
  }),
  material('SITE_VISIT_VIDEO', 'ONBOARDING', 'BRANCH', '开通支付产品', '商户考察材料', '现场考察视频材料（需客户经理在照片或视频中）', null, {
    when: pay,
    required: (s) => s.siteVisitVideoInsteadOfPhoto,
    rule: '暂时无法提供客户经理与门头合照时，则必需',
  }),
  material(
    'NETWORK_PAYMENT_AGREEMENT',
    'ONBOARDING',
    'BRANCH',
    '开通支付产品',
    '网络支付协议',
    '通联支付网络支付业务合作协议（合作协议首页、合作协议尾页）',
    '双方盖章',
    {
      when: (s) => s.cashier,
      rule: '涉及收银宝收付通产品开通，则必需',
    },
  ),
  material('CASHIER_REGISTRATION_FORM', 'ONBOARDING', 'BRANCH', '开通支付产品', '商户信息注册登记表（线上/线下）', '收银宝系统“注册登记表”', null, {
    when: (s) => s.cashier,
    rule: '开通收银宝服务时填',
  }),
  material(
    'BUSINESS_COOPERATION_CONFIRMATION',
    'ONBOARDING',
    'BRANCH',
    '开通支付产品-线上场景（代付、收托抵用）',
    '客户业务合作确认函',
    '《客户业务合作确认函》',
    null,
    {
      when: (s) => s.online && s.payoutOrCollection,
      rule: '线上场景-代付、收托抵用，则必需',
    },
  ),
  material('PRODUCT_APPROVAL_FORM', 'ONBOARDING', 'BRANCH', '开通账户产品-审批', '云商通产品合作审批表', '《云商通产品合作审批表》', '需双方盖章'),
  // 支付产品非标申请
  material('FUND_POOLING_CHANGE_FORM', 'ONBOARDING', 'BRANCH', '支付产品非标申请', '资金归集所需材料', '《业务变更审批单》', '商户盖章，分公司盖章', {
    when: has('FUND_POOLING'),
  }),
  material(
    'FUND_POOLING_SETTLEMENT_CONFIRMATION',
    'ONBOARDING',
    'BRANCH',
    '支付产品非标申请',
    '资金归集所需材料',
    '《结算方式确认函》+其他补充证明',
    '双方盖章',
    {
      when: (s) => has('FUND_POOLING')(s) && !s.fundPoolingSameEntity,
      rule: '父子商户非同主体需提供',
    },
  ),
  material('FUND_POOLING_SAME_ENTITY_STATEMENT', 'ONBOARDING', 'BRANCH', '支付产品非标申请', '资金归集所需材料', '《结算方式确认函》+情况说明', '商户盖章', {
    when: (s) => has('FUND_POOLING')(s) && s.fundPoolingSameEntity,
    rule: '父子商户同主体时需要',
  }),
  material('MONTHLY_FEE_CHANGE_FORM', 'ONBOARDING', 'BRANCH', '支付产品非标申请', '手续费月结所需材料', '《业务变更审批单》', '商户盖章', {
    when: has('MONTHLY_FEE'),
  }),
  material('RATE_VOLUME_ESTIMATE', 'ONBOARDING', 'BRANCH', '支付产品非标申请', '非标费率', '预估年或月交易量或预估收益', null, {
    when: has('NON_STANDARD_RATE'),
  }),
  material(
    'WHITELIST_CHANGE_FORM',
    'ONBOARDING',
    'BRANCH',
    '支付产品非标申请',
    '同主体白名单申请',
    '《业务变更审批单》（证件号/证件类型/解除原因）',
    '商户盖章，分公司盖章',
    {
      when: has('SAME_ENTITY_WHITELIST'),
    },
  ),
  material('MINI_PROGRAM_CHANGE_FORM', 'ONBOARDING', 'BRANCH', '支付产品非标申请', '小程序收银台', '《业务变更审批单》', '商户盖章', {
    when: has('MINI_PROGRAM_CASHIER'),
  }),
  // 上线投产材料
  material('GO_LIVE_APPLICATION', 'GO_LIVE', 'CUSTOMER', '上线审批材料', '上线申请表', '上线申请表', '客户盖章', { rule: '开通账户产品-上线材料' }),
  material('TEST_REPORT', 'GO_LIVE', 'CUSTOMER', '上线审批材料', '测试报告', '测试报告', '客户盖章', { rule: '开通账户产品-上线材料' }),
];

export const MATERIAL_CODES = MATERIALS.map((m) => m.code);

/** The checklist of one scenario: the materials listed for it, each required or not. */
export function materialChecklist(scenario: OnboardingScenario, stage?: MaterialStage): ChecklistItem[] {
  return MATERIALS.filter((m) => (!stage || m.stage === stage) && m.when(scenario)).map(({ when: _when, required, ...m }) => ({
    ...m,
    required: required(scenario),
  }));
}

/** The required materials of a stage that have no file yet; empty when the stage can be submitted. */
export function missingMaterials(scenario: OnboardingScenario, stage: MaterialStage, uploadedCodes: Iterable<string>): ChecklistItem[] {
  const have = new Set(uploadedCodes);
  return materialChecklist(scenario, stage).filter((m) => m.required && !have.has(m.code));
}

/** Contradictions the form cannot express by itself; each message says what to change. */
export function scenarioProblems(s: OnboardingScenario): string[] {
  const problems: string[] = [];
  if (s.website && !s.online) problems.push('线上网站场景须同时选择线上场景');
  if (s.payoutOrCollection && !s.online) problems.push('代付、收托抵用仅适用于线上场景');
  if (s.cashier && !s.paymentProducts) problems.push('开通收银宝须同时开通支付产品');
  if (s.b2bStoreAssistant && !s.paymentProducts) problems.push('开通小程序B2B门店助手须同时开通支付产品');
  if (s.weiqifu && !s.paymentProducts) problems.push('开通微企付须同时开通支付产品');
  if (s.siteVisitVideoInsteadOfPhoto && !s.paymentProducts) problems.push('现场考察材料仅在开通支付产品时提供');
  if (s.fundPoolingSameEntity && !s.nonStandard.includes('FUND_POOLING')) problems.push('“父子商户同主体”仅在申请资金归集时填写');
  if (s.nonStandard.length > 0 && !s.paymentProducts) problems.push('支付产品非标申请须同时开通支付产品');
  return problems;
}

/** Stages of an application onboarding, as the branch, the console and the reviewer see them. */
export const APPLICATION_ONBOARDING_STATUS_LABELS = {
  DRAFT: '材料准备中',
  IN_REVIEW: '开通审核中',
  RETURNED: '退回补充材料',
  ACTIVATING: '自动开通配置中',
  TESTING: '已开通，测试联调中',
  GO_LIVE_REVIEW: '上线审核中',
  LIVE: '已上线',
  CANCELLED: '已取消',
  EXPIRED: '补充材料超时',
} as const;
export type ApplicationOnboardingStatus = keyof typeof APPLICATION_ONBOARDING_STATUS_LABELS;

/** How long a returned request waits for the branch's corrected materials before it lapses. */
export const RESUBMISSION_DAYS = 30;
/** An operator may extend the resubmission window, never past this many days from the return. */
export const RESUBMISSION_MAX_DAYS = 60;
