/**
 * 应用中心 → 微信支付参数设置: for an application that opened the cashier's
 * WeChat Pay product (it has a 收银宝商户号), the WeChat Pay app id and the
 * payment authorisation directories, validated and audited.
 */
import { BusinessError } from '../../domain/errors';
import { auditOf } from '../audit';
import type { Actor, AppDeps } from '../context';
import { applicationScope } from '../context';
import type { WechatPaySettingInput } from './schemas';

export async function getWechatPaySetting(deps: AppDeps, actor: Actor) {
  const applicationId = applicationScope(actor);
  const { prisma } = deps.services;
  const [app, setting] = await Promise.all([
    prisma.application.findUniqueOrThrow({ where: { id: applicationId }, select: { cashierMerchantNo: true } }),
    prisma.wechatPaySetting.findUnique({ where: { applicationId } }),
  ]);
  return {
    opened: !!app.cashierMerchantNo,
    cashierMerchantNo: app.cashierMerchantNo,
    appId: setting?.appId ?? null,
    directories: setting?.directories ?? [],
    updatedAt: setting?.updatedAt.toISOString() ?? null,
  };
}

export async function saveWechatPaySetting(deps: AppDeps, actor: Actor, input: WechatPaySettingInput) {
  const applicationId = applicationScope(actor);
  const { prisma } = deps.services;
  const app = await prisma.application.findUniqueOrThrow({ where: { id: applicationId }, select: { cashierMerchantNo: true } });
  if (!app.cashierMerchantNo) throw new BusinessError('wechat.not_opened');
  const data = { appId: input.appId, directories: input.directories, updatedById: actor.userId };
  await prisma.$transaction([
    prisma.wechatPaySetting.upsert({ where: { applicationId }, create: { applicationId, ...data }, update: data }),
    prisma.auditLog.create(auditOf(actor, 'wechat-pay.update', `application:${applicationId}`, { appId: input.appId, directories: input.directories })),
  ]);
  return getWechatPaySetting(deps, actor);
}
