/**
 * 支付解决方案 (portal manual §1.3), both at the payment channel:
 * - 小程序B2B门店助手参数 (§1.3.1): for an application that opened the store assistant, its payment
 *   merchant as the channel knows it, and the AppKey configuration. The AppKey goes to the channel
 *   (which signs B2B payments with it); we keep only its masked form.
 * - 微企付 (§1.3.2): the merchant's real-time balance, its trade and fund files (default D-1) and its
 *   end-of-day balances (default the last month), each read from the channel when asked.
 */
import { BusinessError } from '../../domain/errors';
import { dayStart, yuan } from '../../domain/ledger';
import { MAX_BALANCE_DAYS, weiqifuDays } from '../../domain/payment-solutions';
import { ChannelUnavailableError } from '../../lib/adapters/payment-channel';
import { ChannelRefusedError } from '../../lib/adapters/payment-solutions';
import { auditOf } from '../audit';
import type { Actor, AppDeps } from '../context';
import { applicationScope } from '../context';
import type { B2bAppKeyInput } from './schemas';

const maskAppKey = (key: string) => `${key.slice(0, 4)}${'*'.repeat(24)}${key.slice(-4)}`;

/** The channel's fault is a 503 the page explains; its refusal keeps its own message. */
function channelFailure(err: unknown): never {
  if (err instanceof ChannelUnavailableError) throw new BusinessError('payment_solutions.channel_unavailable');
  if (err instanceof ChannelRefusedError) throw new BusinessError('payment_solutions.channel_refused', `支付渠道拒绝了该配置：${err.message}`);
  throw err;
}

export async function getB2bStoreAssistant(deps: AppDeps, actor: Actor) {
  const applicationId = applicationScope(actor);
  const { prisma, b2bStoreAssistant } = deps.services;
  const app = await prisma.application.findUniqueOrThrow({
    where: { id: applicationId },
    select: { b2bMerchantNo: true, b2bAppKeyMasked: true, b2bAppKeyUpdatedAt: true },
  });
  if (!app.b2bMerchantNo) return { opened: false, merchants: [] };
  const merchant = await b2bStoreAssistant.merchant(app.b2bMerchantNo).catch(channelFailure);
  return {
    opened: true,
    merchants: [
      {
        merchantNo: app.b2bMerchantNo,
        /** As the channel reports it (null: the channel does not know the merchant). */
        channelStatus: merchant?.status ?? null,
        appKeyConfigured: merchant?.appKeyConfigured ?? false,
        appKeyConfiguredAt: merchant?.appKeyConfiguredAt ?? null,
        appKey: app.b2bAppKeyMasked,
        updatedAt: app.b2bAppKeyUpdatedAt?.toISOString() ?? null,
      },
    ],
  };
}

export async function configureB2bAppKey(deps: AppDeps, actor: Actor, input: B2bAppKeyInput) {
  const applicationId = applicationScope(actor);
  const { prisma, b2bStoreAssistant, clock } = deps.services;
  const app = await prisma.application.findUniqueOrThrow({ where: { id: applicationId }, select: { b2bMerchantNo: true } });
  if (!app.b2bMerchantNo) throw new BusinessError('payment_solutions.b2b_not_opened');
  if (input.merchantNo !== app.b2bMerchantNo) throw new BusinessError('resource.not_found', '支付商户不存在');
  // The channel first: when it refuses or cannot be reached nothing is recorded here.
  await b2bStoreAssistant.configureAppKey(app.b2bMerchantNo, input.appKey).catch(channelFailure);
  const masked = maskAppKey(input.appKey);
  await prisma.$transaction([
    prisma.application.update({ where: { id: applicationId }, data: { b2bAppKeyMasked: masked, b2bAppKeyUpdatedAt: clock.now() } }),
    prisma.auditLog.create(auditOf(actor, 'b2b-store.app-key', `application:${applicationId}`, { merchantNo: app.b2bMerchantNo, appKey: masked })),
  ]);
  return getB2bStoreAssistant(deps, actor);
}

const DAY_MS = 86_400_000;

async function weiqifuMerchant(deps: AppDeps, actor: Actor): Promise<string | null> {
  const applicationId = applicationScope(actor);
  const app = await deps.services.prisma.application.findUniqueOrThrow({ where: { id: applicationId }, select: { weiqifuMerchantNo: true } });
  return app.weiqifuMerchantNo;
}

async function openedWeiqifu(deps: AppDeps, actor: Actor): Promise<string> {
  const merchantNo = await weiqifuMerchant(deps, actor);
  if (!merchantNo) throw new BusinessError('payment_solutions.weiqifu_not_opened');
  return merchantNo;
}

/** 实时余额查询: the 微企付 merchant and its balance now, from the channel. */
export async function getWeiqifu(deps: AppDeps, actor: Actor) {
  const merchantNo = await weiqifuMerchant(deps, actor);
  const { yesterday, monthAgo } = weiqifuDays(deps.services.clock.now());
  if (!merchantNo) return { opened: false, merchantNo: null, balance: null, defaults: { fileDay: yesterday, from: monthAgo, to: yesterday } };
  const balance = await deps.services.weiqifu.balance(merchantNo).catch(channelFailure);
  return {
    opened: true,
    merchantNo,
    balance: balance && { available: yuan(balance.availableFen), frozen: yuan(balance.frozenFen), asOf: balance.asOf },
    defaults: { fileDay: yesterday, from: monthAgo, to: yesterday },
  };
}

/** 文件下载: the channel's file of a closed day (default D-1), audited. */
export async function weiqifuFile(deps: AppDeps, actor: Actor, input: { type: 'TRADE' | 'FUND'; day?: string }) {
  const merchantNo = await openedWeiqifu(deps, actor);
  const { today, yesterday } = weiqifuDays(deps.services.clock.now());
  const day = input.day ?? yesterday;
  if (day >= today) throw new BusinessError('payment_solutions.file_not_ready');
  const data = await deps.services.weiqifu.file(merchantNo, input.type, day).catch(channelFailure);
  await deps.services.prisma.auditLog.create(auditOf(actor, 'weiqifu.file', `application:${applicationScope(actor)}`, { merchantNo, type: input.type, day }));
  const name = `微企付${input.type === 'TRADE' ? '交易对账单' : '资金对账单'}-${merchantNo}-${day}.csv`;
  return { name, data };
}

/** 日终余额查询: the end-of-day balances from … to (default the last month up to D-1). */
export async function weiqifuDailyBalances(deps: AppDeps, actor: Actor, input: { from?: string; to?: string }) {
  const merchantNo = await openedWeiqifu(deps, actor);
  const { yesterday, monthAgo } = weiqifuDays(deps.services.clock.now());
  const from = input.from ?? monthAgo;
  const to = input.to ?? yesterday;
  if (from > to) throw new BusinessError('query.range_invalid');
  if ((dayStart(to).getTime() - dayStart(from).getTime()) / DAY_MS + 1 > MAX_BALANCE_DAYS) throw new BusinessError('payment_solutions.range_too_long');
  const rows = await deps.services.weiqifu.dailyBalances(merchantNo, from, to).catch(channelFailure);
  const items = rows.map((r) => ({ day: r.day, merchantNo, balance: yuan(r.balanceFen) }));
  return { from, to, merchantNo, total: items.length, items };
}
