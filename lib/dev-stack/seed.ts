import { agreementHash, partyTermsHash } from '../business/document-hashes';
import { hash } from '@node-rs/argon2';
import type { PrismaClient, Role } from '@prisma/client';
import { AGREEMENTS } from '../../domain/agreement';
import { maskPhone } from '../../domain/masking';
import type { SplitTerms } from '../../domain/split';
import { systemClock } from '../adapters/clock';
import type { FieldCrypto } from '../adapters/field-crypto';
import { type LedgerDb, seedLedger } from './ledger-seed';
import { openMemberAccounts, openSystemAccounts } from '../business/accounts';
import { ACCOUNTS_OPENED_BY, agreementsAtSignUp, businessDay, dayStart } from '../../domain/ledger';
import { sealedBankCard } from '../business/bank-cards';
import { sealedIdNumber, sealedPersonName } from '../business/person-names';

/**
 * Demo data for the embedded default: one service provider, two applications
 * (so tenant isolation can be seen), and one user per role. Idempotent.
 * The passwords are documented in the README; production never runs this.
 */
export const DEMO_USERS: { username: string; password: string; role: Role; displayName: string; appNo?: string; phone?: string }[] = [
  { username: '1001001', password: 'Demo@2026', role: 'APPLICATION', displayName: '示例商城平台', appNo: '1001001', phone: '13900001001' },
  { username: '1001002', password: 'Demo@2026', role: 'APPLICATION', displayName: '示例连锁平台', appNo: '1001002', phone: '13900001002' },
  { username: 'operator', password: 'Operator@2026', role: 'OPERATOR', displayName: '总部运营' },
  { username: 'reviewer', password: 'Reviewer@2026', role: 'REVIEWER', displayName: '分公司审核员' },
  // 分公司业务人员: records new customers and files migration requests, which a reviewer decides.
  { username: 'branch', password: 'Branch@2026', role: 'BRANCH_USER', displayName: '分公司业务员' },
  { username: 'provider', password: 'Provider@2026', role: 'SERVICE_PROVIDER', displayName: '示例服务商', phone: '13900009001' },
];

/** 示例商城's 支付解决方案 merchants: those the sandbox channel opens for the requests demo:1001001:B2B and demo:1001001:WQF. */
export const DEMO_PAYMENT_MERCHANTS = { b2bStoreAssistant: 'B2B534796510499', weiqifu: 'WQF274143111334' };

/** Seeds what is missing; `historyBooked`: the demo history was booked just now (a fresh database). */
export async function seedDemo(db: LedgerDb, crypto?: FieldCrypto): Promise<{ historyBooked: boolean }> {
  const { prisma } = db;
  const provider =
    (await prisma.serviceProvider.findFirst({ where: { name: '深圳示例科技服务商' } })) ??
    (await prisma.serviceProvider.create({ data: { name: '深圳示例科技服务商' } }));
  const apps = [
    // 示例商城 opened the cashier's WeChat Pay product (收银宝商户号), the B2B store assistant and 微企付,
    // so 微信支付参数设置 and 支付解决方案 can be tried.
    {
      appNo: '1001001',
      name: '示例商城',
      fundMode: 'POST_SETTLEMENT' as const,
      contactEmail: 'ops@mall.example',
      cashierMerchantNo: '56058104816A001',
      b2bMerchantNo: DEMO_PAYMENT_MERCHANTS.b2bStoreAssistant,
      weiqifuMerchantNo: DEMO_PAYMENT_MERCHANTS.weiqifu,
    },
    {
      appNo: '1001002',
      name: '示例连锁',
      fundMode: 'REALTIME_SETTLEMENT' as const,
      contactEmail: 'ops@chain.example',
      cashierMerchantNo: null,
      b2bMerchantNo: null,
    },
  ];
  for (const app of apps) {
    const row = await prisma.application.upsert({
      where: { appNo: app.appNo },
      update: app.cashierMerchantNo
        ? { cashierMerchantNo: app.cashierMerchantNo, b2bMerchantNo: app.b2bMerchantNo, weiqifuMerchantNo: app.weiqifuMerchantNo }
        : {},
      create: { ...app, serviceProviderId: provider.id, liveAt: systemClock().now() },
    });
    await openSystemAccounts(prisma, row.id);
  }
  for (const u of DEMO_USERS) {
    const existing = await prisma.user.findUnique({ where: { username: u.username } });
    if (existing) {
      // Demo databases made before accounts had phones get theirs.
      if (u.phone && crypto && !existing.phoneEnc) {
        await prisma.user.update({ where: { id: existing.id }, data: { phoneEnc: crypto.encrypt(u.phone), phoneMasked: maskPhone(u.phone) } });
      }
      // Demo databases made before the branch user role: `branch` was a second reviewer.
      if (existing.role !== u.role && u.role === 'BRANCH_USER') await prisma.user.update({ where: { id: existing.id }, data: { role: u.role } });
      continue;
    }
    const application = u.appNo ? await prisma.application.findUniqueOrThrow({ where: { appNo: u.appNo } }) : null;
    await prisma.user.create({
      data: {
        username: u.username,
        passwordHash: await hash(u.password),
        role: u.role,
        displayName: u.displayName,
        applicationId: application?.id ?? null,
        serviceProviderId: u.role === 'SERVICE_PROVIDER' ? provider.id : null,
        // The legal representative's phone: 忘记密码 sends its code there (dev outbox in the demo).
        ...(u.phone && crypto ? { phoneEnc: crypto.encrypt(u.phone), phoneMasked: maskPhone(u.phone) } : {}),
      },
    });
  }
  if (!crypto) return { historyBooked: false };
  await seedDemoMembers(prisma, crypto);
  // The history ends where today begins: today's orders go through the sandbox channel once the
  // product is up (scripts/start.ts).
  const startOfToday = dayStart(businessDay(systemClock().now()));
  const history = await seedLedger(db, { appNo: '1001001', days: 30, now: startOfToday });
  return { historyBooked: history.orders > 0 };
}

/**
 * Demo members of 示例商城 (post-settlement), so 收单商户管理, 协议管理 and 分账
 * have something to show: onboarded members with bound phones (test phones
 * 1390000xxxx), two that cannot receive links (no phone / not normal), their
 * member agreements (one signed offline) with the accounts they open, and an effective split rule.
 */
async function seedDemoMembers(prisma: PrismaClient, crypto: FieldCrypto): Promise<void> {
  const app = await prisma.application.findUniqueOrThrow({ where: { appNo: '1001001' } });
  if (await prisma.member.findFirst({ where: { applicationId: app.id, bizUserId: 'DEMO001' } })) return;
  const people = ['王小明', '李晓红', '赵建国', '陈美玲', '刘志强', '杨丽', '黄海涛', '周静'];
  const companies = ['深圳示例餐饮有限公司', '广州示例服饰有限公司', '杭州示例科技有限公司', '上海示例百货有限公司'];
  const day = 24 * 3600 * 1000;
  // Members joined over twelve days, the last more than a month ago: the demo history (30 days) finds them all.
  const base = systemClock().now().getTime() - 45 * day;
  const ids: string[] = [];
  const all = [...people.map((n) => ({ name: n, type: 'INDIVIDUAL' as const })), ...companies.map((n) => ({ name: n, type: 'ENTERPRISE' as const }))];
  for (const [i, m] of all.entries()) {
    const phone = `1390000${String(1001 + i).padStart(4, '0')}`;
    const idNumber = '11010519491231002X';
    const noPhone = i === all.length - 1;
    const status = i === all.length - 2 ? ('PENDING' as const) : ('NORMAL' as const);
    const created = await prisma.member.create({
      data: {
        applicationId: app.id,
        bizUserId: `DEMO${String(i + 1).padStart(3, '0')}`,
        type: m.type,
        status,
        ...(m.type === 'INDIVIDUAL' ? sealedPersonName(crypto, m.name) : { displayName: m.name, personNameEnc: crypto.encrypt('张法人') }),
        ...sealedIdNumber(crypto, idNumber),
        ...(m.type === 'ENTERPRISE'
          ? { companyName: m.name, creditCode: '91350100M000100Y43', address: '广东省深圳市南山区示例路1号', businessScope: '日用百货零售' }
          : {}),
        ...(noPhone || status !== 'NORMAL'
          ? {}
          : { boundPhoneEnc: crypto.encrypt(phone), boundPhoneMasked: maskPhone(phone), boundPhoneDigest: crypto.digest('phone', phone) }),
        realNameVerifiedAt: new Date(base + i * day),
        createdAt: new Date(base + i * day),
        ...(m.type === 'INDIVIDUAL'
          ? {
              bankCards: {
                create: sealedBankCard(
                  crypto,
                  { cardNumber: `62220200001234${String(10000 + i)}`, holderName: m.name, reservedPhone: phone },
                  new Date(base + i * day),
                ),
              },
            }
          : {}),
      },
    });
    ids.push(created.id);
    if (status !== 'NORMAL') continue;
    // The 会员协议 at sign-up and, a day later, the 客户委托结算授权函 (示例商城 settles after the fact:
    // the first opens 簿记账户 and 待结算户, the second the 支付账户 settlements and withdrawals use).
    const signed = [
      ...agreementsAtSignUp(app.fundMode),
      ...(app.fundMode === 'POST_SETTLEMENT' ? [{ kind: 'SETTLEMENT_AUTHORISATION' as const, opens: ACCOUNTS_OPENED_BY.SETTLEMENT_AUTHORISATION ?? [] }] : []),
    ];
    for (const [k, { kind, opens }] of signed.entries()) {
      const template = AGREEMENTS[kind];
      const agreement = await prisma.agreement.create({
        data: {
          memberId: created.id,
          applicationId: app.id,
          kind: template.kind,
          category: template.category,
          title: template.title,
          version: template.version,
          documentHash: agreementHash(template.text),
          signMethod: i === 3 ? 'PAPER' : 'SMS_CODE',
          online: i !== 3,
          signerNameEnc: crypto.encrypt(m.type === 'INDIVIDUAL' ? m.name : '张法人'),
          signedPhoneMasked: noPhone ? '—' : maskPhone(phone),
          ip: i === 3 ? null : '203.0.113.10',
          userAgent: i === 3 ? null : 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Mobile/15E148',
          signedAt: new Date(base + i * day + 3600 * 1000 + k * day),
        },
      });
      await openMemberAccounts(prisma, { applicationId: app.id, memberId: created.id, kinds: opens, agreementId: agreement.id });
    }
  }

  // An effective split rule: 王小明 receives, 李晓红 and 赵建国 take shares, the platform 5%.
  const terms: SplitTerms = {
    name: '门店联营分账',
    receiverMemberId: ids[0]!,
    commission: { method: 'RATIO', value: 500 },
    parties: [
      { memberId: ids[1]!, method: 'RATIO', value: 2000 },
      { memberId: ids[2]!, method: 'FIXED', value: 500 },
    ],
  };
  const signedAt = new Date(base + 10 * day);
  // Its consumptions are split by it from then on (the demo history, ledger-seed.ts, books them).
  await prisma.splitRule.create({
    data: {
      applicationId: app.id,
      ruleNo: 'FZDEMO0001',
      name: terms.name,
      receiverMemberId: terms.receiverMemberId,
      commissionMethod: 'RATIO',
      commissionValue: 500,
      allSigned: true,
      effectiveAt: signedAt,
      parties: {
        create: [
          { memberId: ids[0]!, role: 'RECEIVER', position: 0 },
          { memberId: ids[1]!, role: 'SPLIT', method: 'RATIO', value: 2000, position: 1 },
          { memberId: ids[2]!, role: 'SPLIT', method: 'FIXED', value: 500, position: 2 },
        ].map((p) => {
          const termsHash = partyTermsHash(terms, p.memberId);
          return { ...p, termsHash, signedTermsHash: termsHash, signedAt };
        }),
      },
    },
  });
}
