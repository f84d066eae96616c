import { type OnboardingScenario, materialChecklist, missingMaterials, scenarioProblems } from './application-onboarding';

const offline: OnboardingScenario = {
  merchantType: 'ENTERPRISE',
  online: false,
  website: false,
  paymentProducts: false,
  cashier: false,
  payoutOrCollection: false,
  splitAccounts: false,
  brandOrFranchise: false,
  siteVisitVideoInsteadOfPhoto: false,
  fundPoolingSameEntity: false,
  nonStandard: [],
};
const codes = (s: OnboardingScenario, onlyRequired = false) =>
  materialChecklist(s, 'ONBOARDING')
    .filter((m) => !onlyRequired || m.required)
    .map((m) => m.code);

describe('material checklist (客户入网材料清单)', () => {
  it('an offline enterprise without payment products needs the onboarding basics and the approval form', () => {
    expect(codes(offline, true)).toEqual(['BUSINESS_LICENCE', 'LEGAL_REP_ID', 'ACCOUNT_OPENING_PROOF', 'RISK_RATING_FORM', 'PRODUCT_APPROVAL_FORM']);
    expect(materialChecklist(offline, 'GO_LIVE').map((m) => [m.code, m.required])).toEqual([
      ['GO_LIVE_APPLICATION', true],
      ['TEST_REPORT', true],
    ]);
  });

  it('online needs platform screenshots; a website also ICP and network-security filing', () => {
    expect(codes({ ...offline, online: true }, true)).toContain('PLATFORM_SCREENSHOTS');
    expect(codes({ ...offline, online: true })).not.toContain('ICP_FILING');
    expect(codes({ ...offline, online: true, website: true }, true)).toEqual(
      expect.arrayContaining(['PLATFORM_SCREENSHOTS', 'ICP_FILING', 'NETWORK_SECURITY_FILING']),
    );
  });

  it('payment products bring the site-visit material; individuals the photo with the storefront; the video replaces the manager photo', () => {
    const pay = { ...offline, paymentProducts: true };
    expect(codes(pay, true)).toEqual(expect.arrayContaining(['BENEFICIAL_OWNER_FORM', 'STOREFRONT_PHOTO', 'SITE_VISIT_FORM', 'MANAGER_AT_STOREFRONT_PHOTO']));
    expect(codes(pay, true)).not.toContain('OPERATOR_AT_STOREFRONT_PHOTO');
    expect(codes(pay, true)).not.toContain('SITE_VISIT_VIDEO');
    expect(codes(pay)).toContain('INDUSTRY_QUALIFICATION'); // listed, not required
    const individual = { ...pay, merchantType: 'INDIVIDUAL' as const };
    expect(codes(individual, true)).toContain('OPERATOR_AT_STOREFRONT_PHOTO');
    expect(codes(individual)).not.toContain('BENEFICIAL_OWNER_FORM');
    const video = { ...pay, siteVisitVideoInsteadOfPhoto: true };
    expect(codes(video, true)).toContain('SITE_VISIT_VIDEO');
    expect(codes(video, true)).not.toContain('MANAGER_AT_STOREFRONT_PHOTO');
  });

  it('public institutions, cashier, payouts online, split accounts and non-standard requests add their materials', () => {
    expect(codes({ ...offline, merchantType: 'PUBLIC_INSTITUTION' }, true)).toContain('INSTITUTION_CERTIFICATE');
    expect(codes({ ...offline, paymentProducts: true, cashier: true }, true)).toEqual(
      expect.arrayContaining(['NETWORK_PAYMENT_AGREEMENT', 'CASHIER_REGISTRATION_FORM']),
    );
    expect(codes({ ...offline, online: true, payoutOrCollection: true }, true)).toContain('BUSINESS_COOPERATION_CONFIRMATION');
    expect(codes({ ...offline, splitAccounts: true }, true)).toContain('SPLIT_AGREEMENT');
    expect(codes({ ...offline, splitAccounts: true }, true)).not.toContain('BRAND_OR_FRANCHISE_AGREEMENT');
    expect(codes({ ...offline, brandOrFranchise: true }, true)).toContain('BRAND_OR_FRANCHISE_AGREEMENT');
    const pooling = { ...offline, paymentProducts: true, nonStandard: ['FUND_POOLING' as const] };
    expect(codes(pooling, true)).toEqual(expect.arrayContaining(['FUND_POOLING_CHANGE_FORM', 'FUND_POOLING_SETTLEMENT_CONFIRMATION']));
    expect(codes({ ...pooling, fundPoolingSameEntity: true }, true)).toContain('FUND_POOLING_SAME_ENTITY_STATEMENT');
    expect(codes({ ...pooling, fundPoolingSameEntity: true })).not.toContain('FUND_POOLING_SETTLEMENT_CONFIRMATION');
  });

  it('missing materials are the required ones without a file; contradictions are named', () => {
    expect(
      missingMaterials(offline, 'ONBOARDING', ['BUSINESS_LICENCE', 'LEGAL_REP_ID', 'ACCOUNT_OPENING_PROOF', 'RISK_RATING_FORM']).map((m) => m.code),
    ).toEqual(['PRODUCT_APPROVAL_FORM']);
    expect(missingMaterials(offline, 'GO_LIVE', ['GO_LIVE_APPLICATION', 'TEST_REPORT'])).toEqual([]);
    expect(scenarioProblems(offline)).toEqual([]);
    expect(scenarioProblems({ ...offline, website: true })).toEqual(['线上网站场景须同时选择线上场景']);
    expect(scenarioProblems({ ...offline, nonStandard: ['MONTHLY_FEE'] })).toEqual(['支付产品非标申请须同时开通支付产品']);
  });
});
