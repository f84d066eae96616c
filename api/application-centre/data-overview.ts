/**
 * 应用中心 → 数据概览 and 基本信息. The figures come from DailyTradeStat,
 * which the 5-minute schedule refreshes; the answer says when that was.
 */
import { BusinessError } from '../../domain/errors';
import { SYSTEM_ACCOUNT_KINDS, type SystemAccountKind, businessDay } from '../../domain/ledger';
import { OVERVIEW_TYPES, OVERVIEW_TYPE_KEYS, type OverviewType, TODAY_TOTALS, daysBetween, trendRangeProblem } from '../../domain/data-overview';
import type { Actor, AppDeps } from '../context';
import { applicationScope } from '../context';

const ACCOUNT_LABELS: Record<string, string> = {
  CLEARING: '清算户',
  GUARANTEE: '担保户',
  COMMISSION: '平台抽佣户',
  FEE: '手续费户',
  BOOKKEEPING: '会员簿记账户',
  PAYMENT: '会员支付账户',
  PENDING_SETTLEMENT: '会员待结算户',
};

/** Today's count, amount and commission per type, and when they were last refreshed. */
export async function overview(deps: AppDeps, actor: Actor) {
  const applicationId = applicationScope(actor);
  const today = businessDay(deps.services.clock.now());
  const { prisma } = deps.services;
  const [rows, last] = await Promise.all([
    prisma.dailyTradeStat.findMany({ where: { applicationId, day: today } }),
    prisma.dailyTradeStat.aggregate({ _max: { refreshedAt: true } }),
  ]);
  const figure = (types: readonly string[]) => {
    const own = rows.filter((r) => types.includes(r.type));
    return {
      count: own.reduce((s, r) => s + r.count, 0),
      amountFen: Number(own.reduce((s, r) => s + r.amountFen, 0n)),
      commissionFen: Number(own.reduce((s, r) => s + r.commissionFen, 0n)),
    };
  };
  return {
    day: today,
    refreshedAt: last._max.refreshedAt?.toISOString() ?? null,
    // 当日入金、提现、退款 as the seed counts them (入金: 充值, 消费 and 担保支付).
    totals: TODAY_TOTALS.map((t) => ({ key: t.key, label: t.label, ...figure(t.types) })),
    items: OVERVIEW_TYPE_KEYS.map((type) => {
      const r = rows.find((x) => x.type === type);
      return { type, label: OVERVIEW_TYPES[type], count: r?.count ?? 0, amountFen: Number(r?.amountFen ?? 0), commissionFen: Number(r?.commissionFen ?? 0) };
    }),
  };
}

/** Per day of [from, to] (≤ 90 days) and per chosen type: count, amount, platform commission; days without orders are zeros. */
export async function trends(deps: AppDeps, actor: Actor, input: { from: string; to: string; types: OverviewType[] }) {
  const applicationId = applicationScope(actor);
  const problem = trendRangeProblem(input.from, input.to, businessDay(deps.services.clock.now()));
  if (problem) throw new BusinessError('request.invalid', problem);
  const days = daysBetween(input.from, input.to);
  const rows = await deps.services.prisma.dailyTradeStat.findMany({
    where: { applicationId, day: { gte: input.from, lte: input.to }, type: { in: input.types } },
  });
  const byKey = new Map(rows.map((r) => [`${r.type}|${r.day}`, r]));
  return {
    days,
    series: input.types.map((type) => ({
      type,
      label: OVERVIEW_TYPES[type],
      points: days.map((day) => {
        const r = byKey.get(`${type}|${day}`);
        return { day, count: r?.count ?? 0, amountFen: Number(r?.amountFen ?? 0), commissionFen: Number(r?.commissionFen ?? 0) };
      }),
    })),
  };
}

/** 基本信息: fund management, custody, and the balances of the application's accounts. */
export async function basicInfo(deps: AppDeps, actor: Actor) {
  const applicationId = applicationScope(actor);
  const { prisma } = deps.services;
  const [app, balances] = await Promise.all([
    prisma.application.findUniqueOrThrow({ where: { id: applicationId }, include: { serviceProvider: { select: { name: true } } } }),
    prisma.account.groupBy({ by: ['kind'], where: { applicationId }, _sum: { balanceFen: true }, _count: true }),
  ]);
  // 平台同主体账户: the accounts of the enterprise member that bears the platform's own name (同名小b).
  const sameEntity = await prisma.member.findMany({
    where: { applicationId, type: 'ENTERPRISE', OR: [{ displayName: app.name }, { companyName: app.name }] },
    select: { id: true, bizUserId: true, displayName: true },
  });
  const sameEntityAccounts = await prisma.account.findMany({ where: { memberId: { in: sameEntity.map((m) => m.id) } }, orderBy: { accountNo: 'asc' } });
  // The channel clearing account is the payment channels' side of every booking: what the bank
  // holds for the application is everything else (members' accounts and the guarantee account).
  const held = balances.filter((b) => b.kind !== 'CLEARING').reduce((s, b) => s + (b._sum.balanceFen ?? 0n), 0n);
  // The application's own accounts: clearing, guarantee, and its commission and fee accounts.
  const system = balances.filter((b) => SYSTEM_ACCOUNT_KINDS.includes(b.kind as SystemAccountKind)).reduce((s, b) => s + (b._sum.balanceFen ?? 0n), 0n);
  return {
    appNo: app.appNo,
    name: app.name,
    serviceProvider: app.serviceProvider.name,
    fundMode: app.fundMode,
    fundModeLabel: app.fundMode === 'POST_SETTLEMENT' ? '账后结算' : '实时结算',
    custodyMode: app.custodyMode,
    custodyLabel: app.custodyMode === 'BANK' ? `银行存管${app.custodyBank ? `（${app.custodyBank}）` : ''}` : '通联存管',
    live: !!app.liveAt,
    liveAt: app.liveAt?.toISOString() ?? null,
    applicationAccountBalanceFen: Number(system),
    bankBalanceFen: app.custodyMode === 'BANK' ? Number(held) : null,
    accounts: balances.map((b) => ({ kind: b.kind, label: ACCOUNT_LABELS[b.kind] ?? b.kind, count: b._count, balanceFen: Number(b._sum.balanceFen ?? 0n) })),
    sameEntityAccounts: sameEntityAccounts.map((a) => {
      const m = sameEntity.find((x) => x.id === a.memberId)!;
      return {
        member: `${m.displayName}（${m.bizUserId}）`,
        accountNo: a.accountNo,
        kind: a.kind,
        label: ACCOUNT_LABELS[a.kind] ?? a.kind,
        balanceFen: Number(a.balanceFen),
      };
    }),
  };
}
