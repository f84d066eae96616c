/**
 * 支付解决方案 → 小程序B2B门店助手参数 (portal manual §1.3.1): for an application that opened the
 * store assistant, its payment merchant as the channel knows it, and the AppKey configuration. The
 * AppKey goes to the channel (which signs B2B payments with it); we keep only its masked form.
 */
import { BusinessError } from '../../domain/errors';
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
