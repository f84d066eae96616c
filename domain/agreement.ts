/**
 * The agreements members sign, each a fixed text per version. The SHA-256 of
 * the text is recorded with every signature, so a later change of a text never
 * changes what a member is recorded to have signed.
 */
export type AgreementKind = 'MEMBER_SERVICE' | 'PAYMENT_ACCOUNT_SERVICE' | 'SETTLEMENT_AUTHORISATION' | 'SPLIT_RULE';
/** 会员协议管理 lists MEMBER; 会员支付账户协议管理 lists PAYMENT_ACCOUNT. */
export type AgreementCategory = 'MEMBER' | 'PAYMENT_ACCOUNT';

export interface AgreementTemplate {
  kind: AgreementKind;
  category: AgreementCategory;
  title: string;
  version: string;
  text: string;
}

const MEMBER_SERVICE: AgreementTemplate = {
  kind: 'MEMBER_SERVICE',
  category: 'MEMBER',
  title: '云商通会员服务协议',
  version: '2026-01',
  text: `云商通会员服务协议（版本 2026-01）

一、会员同意通过平台开立云商通会员账户，并授权平台及通联支付为其提供账户、支付、分账及结算服务。
二、会员保证所提交的身份信息、银行卡信息及证照资料真实、准确、完整、有效。
三、会员通过短信验证码确认签署本协议，与书面签署具有同等法律效力。
四、会员应妥善保管绑定手机号及短信验证码，因泄露造成的损失由会员自行承担。
五、本协议自会员短信验证通过之时起生效。`,
};

/** Signed with the 会员服务协议 (one code) in realtime-settlement applications: it opens the 支付账户. */
const PAYMENT_ACCOUNT_SERVICE: AgreementTemplate = {
  kind: 'PAYMENT_ACCOUNT_SERVICE',
  category: 'PAYMENT_ACCOUNT',
  title: '云商通会员支付账户服务协议',
  version: '2026-12',
  text: `云商通会员支付账户服务协议（版本 2026-12）

一、会员同意由通联支付为其开立云商通支付账户，用于收款、充值、消费、转账及提现。
二、支付账户内资金的收付以会员或平台依约发起的交易指令为准；提现仅可至会员本人（本单位）已验证的银行账户。
三、会员应确保交易真实合法，不得利用支付账户从事洗钱、套现等违法违规活动；通联支付依法履行反洗钱义务时，会员应予配合。
四、会员通过短信验证码确认签署本协议，与书面签署具有同等法律效力，自签署之时起生效。`,
};

const SETTLEMENT_AUTHORISATION: AgreementTemplate = {
  kind: 'SETTLEMENT_AUTHORISATION',
  category: 'PAYMENT_ACCOUNT',
  title: '客户委托结算授权函',
  version: '2026-01',
  text: `客户委托结算授权函（版本 2026-01）

一、本人/本单位作为平台收单商户，委托通联支付将收单交易资金先行结算至本人/本单位在云商通开立的待结算账户，再由平台按约定完成账后结算。
二、本人/本单位授权平台依据交易及分账指令，对待结算账户内资金进行清分、结算及提现操作。
三、本人/本单位确认结算账户信息真实有效，因账户信息错误导致的结算失败或延迟由本人/本单位承担。
四、本授权函通过短信验证码确认签署，与书面签署具有同等法律效力，自签署之时起生效，至双方合作终止时失效。`,
};

const SPLIT_RULE: AgreementTemplate = {
  kind: 'SPLIT_RULE',
  category: 'MEMBER',
  title: '分账抽佣授权协议',
  version: '2026-01',
  text: `分账抽佣授权协议（版本 2026-01）

一、各方同意平台按本协议所附分账抽佣规则，对收款会员的收款资金进行分账，并由平台收取约定的抽佣金额。
二、分账比例或固定金额以本协议签署时所附规则为准；规则的任何变更须经受影响的各方重新签署后方可生效。
三、分账资金划入各分账方在云商通开立的账户，各方应自行承担相应税费。
四、本协议通过短信验证码确认签署，与书面签署具有同等法律效力。`,
};

export const AGREEMENTS: Record<AgreementKind, AgreementTemplate> = {
  MEMBER_SERVICE,
  PAYMENT_ACCOUNT_SERVICE,
  SETTLEMENT_AUTHORISATION,
  SPLIT_RULE,
};

export const AGREEMENT_CATEGORY_LABELS: Record<AgreementCategory, string> = {
  MEMBER: '会员协议',
  PAYMENT_ACCOUNT: '会员支付账户协议',
};

/** The member service agreement text (kept under its old name for the onboarding page). */
export const MEMBER_AGREEMENT_TEXT = MEMBER_SERVICE.text;

/** A signing link's status as the pages and exports say it. */
export const SIGNING_LINK_STATUS_LABELS: Record<string, string> = {
  PENDING: '发送中',
  SENT: '已发送',
  OPENED: '已打开',
  SIGNED: '已签约',
  EXPIRED: '已过期',
  REVOKED: '已失效',
};
