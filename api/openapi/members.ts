/**
 * Members and their onboarding by signed request: the portal's own services (新增会员 → 自主开户,
 * 重新发起开户, 重新生成链接), called as the application's account and so audited like the portal's.
 * Each request that creates or changes something carries a `requestId` and happens once
 * (lib/business/api-requests.ts). Members are named by the application's own 会员编号 (bizUserId).
 */
import type { Request, Router } from 'express';
import { z } from 'zod';
import { BusinessError } from '../../domain/errors';
import { yuan } from '../../domain/ledger';
import { STAGE_LABELS, type OnboardingStage } from '../../domain/onboarding';
import { answerOnce, requestDigest } from '../../lib/business/api-requests';
import { auditOf } from '../audit';
import type { Actor, AppDeps } from '../context';
import { SEALED_REQUEST_FIELDS, openSealedFields } from '../../lib/business/sensitive-fields';
import { addMemberSchema, proxyMemberSchema } from '../members/schemas';
import { type ProxyUploads, addMember, addProxyMember, reissueOnboarding, rotateOnboardingLink } from '../members/service';
import { STAGED_UPLOAD_MS } from './credentials';
import { sensitiveKeysOf } from '../certificates';
import { requestIdSchema } from './schemas';

const uploadId = z.uuid({ error: '请填写上传文件编号（uploadId）' });
const photosSchema = z.object({
  photos: z.object(
    { businessLicence: uploadId, idFront: uploadId, idBack: uploadId },
    { error: '企业会员须提供营业执照、法人身份证人像面和国徽面的上传文件编号' },
  ),
});
const bizUserIdParams = z.object({ bizUserId: z.string().min(1).max(64, '会员编号过长') });

import type { SignedCaller } from './router';

/** The application's account: what the portal's services act as for a signed request (their audit rows say so, and name the provider that signed). */
async function actorOf(deps: AppDeps, caller: SignedCaller): Promise<Actor> {
  const user = await deps.services.prisma.user.findFirst({
    where: { applicationId: caller.applicationId, role: 'APPLICATION' },
    orderBy: { createdAt: 'asc' },
    select: { id: true },
  });
  if (!user) throw new BusinessError('auth.forbidden', '该应用尚无平台账号');
  return {
    userId: user.id,
    role: 'APPLICATION',
    applicationId: caller.applicationId,
    serviceProviderId: null,
    via: { channel: 'OPEN_API', serviceProviderId: caller.providerId },
  };
}

/** An order a provider placed for the application: audited (the application's own orders are their own record). */
export async function auditProviderOrder(deps: AppDeps, caller: SignedCaller, order: { id: string; bizOrderNo: string; kind: string }) {
  const actor = await actorOf(deps, caller);
  await deps.services.prisma.auditLog.create(auditOf(actor, 'openapi.order.place', `order:${order.id}`, { bizOrderNo: order.bizOrderNo, kind: order.kind }));
}

/** The photos this application uploaded within the day, by id: what the portal's form would have sent. */
async function stagedPhotos(deps: AppDeps, applicationId: string, photos: { businessLicence: string; idFront: string; idBack: string }): Promise<ProxyUploads> {
  const since = new Date(deps.services.clock.now().getTime() - STAGED_UPLOAD_MS);
  const rows = await deps.services.prisma.openApiUpload.findMany({
    where: { id: { in: Object.values(photos) }, applicationId, createdAt: { gte: since } },
    select: { id: true, data: true, size: true },
  });
  const file = (id: string) => {
    const r = rows.find((x) => x.id === id);
    if (!r) throw new BusinessError('openapi.upload_unknown', `上传文件 ${id} 不存在或已过期，请重新上传`, { uploadId: id });
    return { buffer: Buffer.from(r.data), size: r.size };
  };
  return { BUSINESS_LICENCE: file(photos.businessLicence), ID_FRONT: file(photos.idFront), ID_BACK: file(photos.idBack) };
}

async function memberIdOf(deps: AppDeps, applicationId: string, bizUserId: string): Promise<string> {
  const m = await deps.services.prisma.member.findFirst({ where: { applicationId, bizUserId }, select: { id: true } });
  if (!m) throw new BusinessError('member.not_found');
  return m.id;
}

/** A member as the open API shows it: status, the latest onboarding and its stage, the accounts with their balances. */
export async function memberView(deps: AppDeps, applicationId: string, bizUserId: string) {
  const { prisma } = deps.services;
  const member = await prisma.member.findFirst({
    where: { applicationId, bizUserId },
    include: {
      onboardings: { orderBy: { attempt: 'desc' }, take: 1, select: { attempt: true, mode: true, stage: true, expiresAt: true } },
    },
  });
  if (!member) throw new BusinessError('member.not_found');
  const accounts = await prisma.account.findMany({
    where: { memberId: member.id },
    orderBy: { accountNo: 'asc' },
    select: { accountNo: true, kind: true, balanceFen: true, reservedFen: true },
  });
  // 提现 names one of these cards (cardId); the number is masked like the portal's.
  const bankCards = await prisma.bankCard.findMany({
    where: { memberId: member.id },
    orderBy: { createdAt: 'asc' },
    select: { id: true, cardNumberMasked: true, corporate: true, verifiedAt: true },
  });
  const onboarding = member.onboardings[0];
  return {
    bizUserId: member.bizUserId,
    type: member.type,
    status: member.status,
    name: member.displayName,
    boundPhone: member.boundPhoneMasked,
    realNameVerified: !!member.realNameVerifiedAt,
    createdAt: member.createdAt.toISOString(),
    onboarding: onboarding
      ? {
          attempt: onboarding.attempt,
          mode: onboarding.mode,
          stage: onboarding.stage,
          stageLabel: STAGE_LABELS[onboarding.stage as OnboardingStage],
          expiresAt: onboarding.expiresAt.toISOString(),
        }
      : null,
    accounts: accounts.map((a) => ({
      accountNo: a.accountNo,
      kind: a.kind,
      balance: yuan(a.balanceFen),
      available: yuan(a.balanceFen - a.reservedFen),
    })),
    bankCards: bankCards.map((c) => ({ cardId: c.id, cardNumber: c.cardNumberMasked, corporate: c.corporate, verifiedAt: c.verifiedAt.toISOString() })),
  };
}

export function mountMemberRoutes(router: Router, deps: AppDeps, signed: { caller(req: Request): SignedCaller; body(req: Request): unknown }) {
  const { sql, crypto } = deps.services;
  const once = (req: Request, requestId: string, body: unknown, handle: () => Promise<{ status: number; body: unknown }>) => {
    const caller = signed.caller(req);
    return answerOnce({ sql, crypto }, { appNo: caller.appNo, requestId, requestHash: requestDigest(crypto, req.method, req.path, body) }, handle);
  };

  /**
   * 平台代开户: the member's information entered by the platform, its sensitive fields SM4-sealed
   * (lib/business/sensitive-fields.ts); an enterprise names its three photos by the ids
   * `POST /openapi/v1/uploads` gave. The member confirms by the SMS the flow sends.
   */
  router.post('/members/proxy', async (req, res) => {
    const caller = signed.caller(req);
    const sealed = signed.body(req);
    const { requestId } = requestIdSchema.parse(sealed);
    // Opened before anything else, so a retry that seals afresh (new IVs) is still the same request.
    // Sealed with the key of whoever signed: the application, or in service-provider mode the provider.
    const owner = caller.providerId ? ({ kind: 'provider', id: caller.providerId } as const) : ({ kind: 'application', id: caller.applicationId } as const);
    const body = openSealedFields(sealed, SEALED_REQUEST_FIELDS, await sensitiveKeysOf(deps, owner));
    const input = proxyMemberSchema.parse(body);
    const photos = input.type === 'ENTERPRISE' ? photosSchema.parse(body).photos : null;
    const answer = await once(req, requestId, body, async () => {
      const files: ProxyUploads = photos ? await stagedPhotos(deps, caller.applicationId, photos) : {};
      const added = await addProxyMember(deps, await actorOf(deps, caller), input, files);
      return { status: 201, body: { member: await memberView(deps, caller.applicationId, input.bizUserId), link: added.link } };
    });
    res.status(answer.status).json(answer.body);
  });

  /** 新增会员 (自主开户): the member, its onboarding link and QR code; the member receives nothing until the platform hands the link on. */
  router.post('/members', async (req, res) => {
    const caller = signed.caller(req);
    const body = signed.body(req);
    const { requestId } = requestIdSchema.parse(body);
    const input = addMemberSchema.parse(body);
    const answer = await once(req, requestId, body, async () => {
      const added = await addMember(deps, await actorOf(deps, caller), input);
      return { status: 201, body: { member: await memberView(deps, caller.applicationId, input.bizUserId), link: added.link } };
    });
    res.status(answer.status).json(answer.body);
  });

  /** The member: status, onboarding stage, accounts and balances. */
  router.get('/members/:bizUserId', async (req, res) => {
    const { bizUserId } = bizUserIdParams.parse(req.params);
    res.json(await memberView(deps, signed.caller(req).applicationId, bizUserId));
  });

  /** 重新发起开户: a new onboarding once the last one expired or was cancelled; a new link. */
  router.post('/members/:bizUserId/onboarding', async (req, res) => {
    const caller = signed.caller(req);
    const { bizUserId } = bizUserIdParams.parse(req.params);
    const body = signed.body(req);
    const { requestId } = requestIdSchema.parse(body);
    const answer = await once(req, requestId, body, async () => {
      const reissued = await reissueOnboarding(deps, await actorOf(deps, caller), await memberIdOf(deps, caller.applicationId, bizUserId));
      return { status: 201, body: { member: await memberView(deps, caller.applicationId, bizUserId), link: reissued.link } };
    });
    res.status(answer.status).json(answer.body);
  });

  /** 重新生成链接: a fresh link for the running onboarding; the old one stops working. */
  router.post('/members/:bizUserId/onboarding/link', async (req, res) => {
    const caller = signed.caller(req);
    const { bizUserId } = bizUserIdParams.parse(req.params);
    const body = signed.body(req);
    const { requestId } = requestIdSchema.parse(body);
    const answer = await once(req, requestId, body, async () => {
      const rotated = await rotateOnboardingLink(deps, await actorOf(deps, caller), await memberIdOf(deps, caller.applicationId, bizUserId));
      return { status: 200, body: rotated };
    });
    res.status(answer.status).json(answer.body);
  });
}
