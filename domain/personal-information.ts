/**
 * 个人信息保护 (PIPL): what the member is told before its personal information is collected, and the
 * separate consent PIPL Art. 29 asks for sensitive personal information (ID number, bank card,
 * bank-reserved phone). The texts are versioned like the agreements: a consent records the version
 * and the SHA-256 of the text the member saw, so a later change of the text never changes what was
 * consented to.
 */

/** How a member's consent came to be recorded. */
export type ConsentSource =
  /** The member ticked it on its own onboarding page (自主开户). */
  | 'MEMBER_PAGE'
  /** The member confirmed what the platform entered, ticking the consent (平台代开户). */
  | 'MEMBER_CONFIRMATION'
  /** The platform attested it holds the member's consent, when it imported or migrated the member. */
  | 'PLATFORM_ATTESTED';

export const CONSENT_SOURCE_LABELS: Record<ConsentSource, string> = {
  MEMBER_PAGE: '会员开户页勾选',
  MEMBER_CONFIRMATION: '会员确认代开户时勾选',
  PLATFORM_ATTESTED: '平台承诺已取得（批导/迁移）',
};

export interface ConsentText {
  version: string;
  /** 个人信息收集告知: shown above the form, before anything is entered. */
  notice: string;
  /** The separate consent to sensitive personal information, ticked by the member itself. */
  sensitiveConsent: string;
}

/**
 * Every text members were shown, oldest first. A released text never changes — a change is a new
 * version appended here (lib/business/consents.test.ts pins each released text's SHA-256) — so a
 * recorded consent can always show the exact text it was given to.
 */
export const CONSENT_TEXTS: readonly ConsentText[] = [
  {
    version: '2026-12',
    notice: `个人信息收集告知（版本 2026-12）
为向您开立云商通会员账户并提供支付、分账及结算服务，平台及通联支付将收集您的：姓名、身份证号、银行卡号、银行预留手机号（企业会员：企业名称、统一社会信用代码、法定代表人姓名、身份证号及手机号、营业执照与身份证照片）。
上述信息仅用于身份核验（将提供给银行卡四要素 / 企业信息核验服务商）、开户、签约及依法履行反洗钱等义务，按法律法规要求的期限保存，期满后删除或匿名化。
您可在会员门户查阅您的信息，并可随时撤回本授权；撤回不影响撤回前基于授权已进行的处理，但撤回后将无法继续开户、绑卡或签约。`,
    sensitiveConsent: `本人已阅读《个人信息收集告知》，单独同意平台及通联支付为开户与身份核验之目的处理本人的敏感个人信息（身份证号、银行卡号、银行预留手机号，企业会员另含法定代表人身份证件信息）。`,
  },
];

/** The text members are shown now: the newest. */
export const PERSONAL_INFORMATION_CONSENT: ConsentText = CONSENT_TEXTS[CONSENT_TEXTS.length - 1]!;

/** The text of a version, or null for a version this product never released. */
export const consentTextOf = (version: string): ConsentText | null => CONSENT_TEXTS.find((t) => t.version === version) ?? null;
