import { Router } from 'express';
import type { Request } from 'express';
import { BusinessError } from '../../domain/errors';
import { accountIdSchema, movementIdSchema, pagedRangeSchema, rangeSchema } from '../accounts/schemas';
import { exportMovements, listMovements, movementOrder } from '../accounts/service';
import { perAccount } from '../auth/router';
import type { Actor, AppDeps } from '../context';
import { actorOf, requireRole } from '../context';
import type { RouterDoc } from '../route-docs';
import { CONTENT_TYPES, sendAsFile } from '../downloads';
import { consentWithdrawalSchema, phoneCodeSchema, phoneSchema, setupSchema } from './schemas';
import { PHONE_PROOF_MS, myInformation, withdrawOwnConsent, phoneLogin, sendPortalCode, setUpMember, setupChoices, verifyPortalCode } from './service';

const CODE_SENT = { message: '如该手机号可登录会员门户，验证码已发送，10分钟内有效' };

/** A new session for a member who just proved who they are (no fixation of an earlier one). */
async function signInMember(req: Request, actor: Actor) {
  await new Promise<void>((resolve, reject) => req.session.regenerate((e) => (e ? reject(e) : resolve())));
  req.session.actor = actor;
  req.session.signedInAt = Date.now();
}

function phoneProof(req: Request): string {
  const proof = req.session.memberPortalPhone;
  if (!proof || Date.now() - proof.verifiedAt > PHONE_PROOF_MS) throw new BusinessError('member_portal.verify_phone_first');
  return proof.digest;
}

/** 会员门户: first login and phone login (public, the SMS code is the credential), then the member's own pages. */
export function memberPortalRouter(deps: AppDeps): Router {
  const router = Router();
  const { services } = deps;
  const log = (err: unknown) => console.error('[api] member portal code:', err);

  router.post('/first-login/code', perAccount(deps, 'member-code', 5, 'phone'), (req, res) => {
    sendPortalCode(services, phoneSchema.parse(req.body ?? {}).phone, 'first-login', log);
    res.status(202).json(CODE_SENT);
  });
  router.post('/first-login/verify', perAccount(deps, 'member-verify', 10, 'phone'), async (req, res) => {
    const input = phoneCodeSchema.parse(req.body ?? {});
    const digest = await verifyPortalCode(services, input.phone, input.code, 'first-login');
    req.session.memberPortalPhone = { digest, verifiedAt: Date.now() };
    res.json(await setupChoices(services, digest));
  });
  router.get('/first-login/members', async (req, res) => {
    res.json(await setupChoices(services, phoneProof(req)));
  });
  // 2.2.3: once set up, the member goes back to the login page and signs in with the chosen login.
  router.post('/first-login/setup', async (req, res) => {
    const input = setupSchema.parse(req.body ?? {});
    const actor = await setUpMember(services, phoneProof(req), input);
    const { member } = await myInformation(services, actor);
    res.status(201).json({ login: { method: input.mode, username: input.mode === 'PASSWORD' ? input.username : null }, member: { name: member.name } });
  });
  router.post('/phone-login/code', perAccount(deps, 'member-code', 5, 'phone'), (req, res) => {
    sendPortalCode(services, phoneSchema.parse(req.body ?? {}).phone, 'phone-login', log);
    res.status(202).json(CODE_SENT);
  });
  router.post('/phone-login', perAccount(deps, 'member-login', 10, 'phone'), async (req, res) => {
    const input = phoneCodeSchema.parse(req.body ?? {});
    const actor = await phoneLogin(services, await verifyPortalCode(services, input.phone, input.code, 'phone-login'));
    await signInMember(req, actor);
    res.json(await myInformation(services, actor));
  });

  // The member's own pages.
  router.get('/me', requireRole('MEMBER'), async (req, res) => {
    res.json(await myInformation(services, actorOf(req)));
  });
  router.post('/consent-withdrawal', requireRole('MEMBER'), async (req, res) => {
    await withdrawOwnConsent(deps, actorOf(req), consentWithdrawalSchema.parse(req.body ?? {}).reason);
    res.json(await myInformation(services, actorOf(req)));
  });
  router.get('/accounts/:id/movements', requireRole('MEMBER'), async (req, res) => {
    res.json(await listMovements(deps, actorOf(req), accountIdSchema.parse(req.params).id, pagedRangeSchema.parse(req.query)));
  });
  // 查看详情: the order behind one of the member's own movements.
  router.get('/accounts/:id/movements/:movementId/order', requireRole('MEMBER'), async (req, res) => {
    const { id, movementId } = movementIdSchema.parse(req.params);
    res.json(await movementOrder(deps, actorOf(req), id, movementId));
  });
  router.get('/accounts/:id/movements/export', requireRole('MEMBER'), async (req, res) => {
    await exportMovements(deps, actorOf(req), accountIdSchema.parse(req.params).id, rangeSchema.parse(req.query), res, (name) =>
      sendAsFile(res, name, CONTENT_TYPES.XLSX),
    );
  });
  return router;
}

/** 会员门户 in the portal's API document: sign-in steps are public (the SMS code is the credential), then the member's own pages. */
export const memberPortalDoc: RouterDoc = {
  tag: '会员门户',
  admits: ['MEMBER'],
  routes: {
    'POST /first-login/code': {
      summary: '首次登录：发送验证码（应答与手机号是否可登录无关）',
      admits: 'PUBLIC',
      body: phoneSchema,
      status: 202,
      example: { phone: '13800138000' },
    },
    'POST /first-login/verify': {
      summary: '首次登录：校验验证码，列出该手机号的会员',
      admits: 'PUBLIC',
      body: phoneCodeSchema,
      example: { phone: '13800138000', code: '123456' },
    },
    'GET /first-login/members': { summary: '首次登录：该手机号可开通的会员（验证后 10 分钟内）', admits: 'PUBLIC' },
    'POST /first-login/setup': {
      summary: '首次登录：选择登录方式（用户名登录或绑定手机号登录）开通，随后回到登录页登录',
      admits: 'PUBLIC',
      body: setupSchema,
      status: 201,
      example: { memberId: '5f0c7b7f-3a10-4c1e-9a51-2f0c7b7f3a10', mode: 'PASSWORD', username: 'zhangsan01', password: 'N3w-Passw0rd!' },
    },
    'POST /phone-login/code': { summary: '手机号登录：发送验证码', admits: 'PUBLIC', body: phoneSchema, status: 202, example: { phone: '13800138000' } },
    'POST /phone-login': {
      summary: '手机号登录：以验证码登录',
      admits: 'PUBLIC',
      body: phoneCodeSchema,
      example: { phone: '13800138000', code: '123456' },
    },
    'GET /me': { summary: '我的信息与账户' },
    'POST /consent-withdrawal': {
      summary: '撤回个人信息处理授权',
      body: consentWithdrawalSchema,
      example: { reason: '不再使用该平台服务' },
    },
    'GET /accounts/:id/movements': { summary: '我的账户明细', params: accountIdSchema, query: pagedRangeSchema },
    'GET /accounts/:id/movements/:movementId/order': { summary: '账户明细的查看详情：这笔明细的订单', params: movementIdSchema },
    'GET /accounts/:id/movements/export': { summary: '我的账户明细导出（XLSX）', params: accountIdSchema, query: rangeSchema, answer: 'file' },
  },
};
