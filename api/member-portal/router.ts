import { Router } from 'express';
import type { Request } from 'express';
import { BusinessError } from '../../domain/errors';
import { accountIdSchema, movementIdSchema, pagedRangeSchema, rangeSchema } from '../accounts/schemas';
import { exportMovements, listMovements, movementOrder } from '../accounts/service';
import { perAccount } from '../auth/router';
import type { Actor, AppDeps } from '../context';
import { actorOf, requireRole } from '../context';
import { CONTENT_TYPES, sendAsFile } from '../downloads';
import { phoneCodeSchema, phoneSchema, setupSchema } from './schemas';
import { PHONE_PROOF_MS, myInformation, phoneLogin, sendPortalCode, setUpMember, setupChoices, verifyPortalCode } from './service';

const CODE_SENT = { message: '如该手机号可登录会员门户，验证码已发送，10分钟内有效' };

/** A new session for a member who just proved who they are (no fixation of an earlier one). */
async function signInMember(req: Request, actor: Actor, keepPhoneProof = false) {
  const proof = req.session.memberPortalPhone;
  await new Promise<void>((resolve, reject) => req.session.regenerate((e) => (e ? reject(e) : resolve())));
  req.session.actor = actor;
  req.session.signedInAt = Date.now();
  // After a set-up the same browser may set up another member of the phone while the proof lasts.
  if (keepPhoneProof && proof) req.session.memberPortalPhone = proof;
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
  router.post('/first-login/setup', async (req, res) => {
    const actor = await setUpMember(services, phoneProof(req), setupSchema.parse(req.body ?? {}));
    await signInMember(req, actor, true);
    res.status(201).json(await myInformation(services, actor));
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
