import { type Request, Router } from 'express';
import rateLimit, { ipKeyGenerator } from 'express-rate-limit';
import { SharedRateLimitStore } from '../../lib/adapters/counters';
import { BusinessError } from '../../domain/errors';
import type { AppDeps } from '../context';
import type { RouterDoc } from '../route-docs';
import { actorOf } from '../context';
import { changePasswordSchema, loginSchema, resetCodeSchema, resetPasswordSchema } from './schemas';
import { changePassword, currentUser, endOtherSessions, login, requestPasswordReset, resetPassword } from './service';

const WINDOW_MS = 15 * 60 * 1000;

/**
 * A limit in 15 minutes keyed by `key` of the request, answered with the catalogue's id. The counts live
 * in PostgreSQL, shared by every API process; with `failuresOnly` only refused requests count, so a user
 * who signs in is never limited. The store prefixes the limit's name.
 */
function sharedLimit(deps: AppDeps, name: string, limit: number, key: (req: Request) => string, opts: { failuresOnly?: boolean }) {
  return rateLimit({
    windowMs: WINDOW_MS,
    limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    skipSuccessfulRequests: opts.failuresOnly ?? false,
    store: new SharedRateLimitStore(deps.services.prisma, deps.services.clock, `${name}:`),
    keyGenerator: key,
    handler: (_req, _res, next) => next(new BusinessError('auth.too_many_attempts')),
  });
}

/** A limit per account: the account name or phone sent, or for `user` the signed-in user. */
export function perAccount(deps: AppDeps, name: string, limit: number, by: 'username' | 'user' | 'phone' = 'username', opts: { failuresOnly?: boolean } = {}) {
  const key = (req: Request) =>
    by === 'user'
      ? (req.session?.actor?.userId ?? '')
      : String((req.body as Record<string, unknown> | undefined)?.[by] ?? '')
          .trim()
          .toLowerCase();
  return sharedLimit(deps, name, limit, key, opts);
}

/** A limit per client address (guessing many accounts from one place). */
export function perAddress(deps: AppDeps, name: string, limit: number, opts: { failuresOnly?: boolean } = {}) {
  return sharedLimit(deps, name, limit, (req) => ipKeyGenerator(req.ip ?? ''), opts);
}

export function authRouter(deps: AppDeps): Router {
  const router = Router();
  const { prisma } = deps.services;

  // Password guessing: 10 failures per account name and LOGIN_FAILURES_PER_ADDRESS per client address in 15 minutes; the name
  // itself locks after 5 wrong passwords, whether or not such an account exists (忘记密码 lifts it).
  const loginLimits = [
    perAccount(deps, 'login', 10, 'username', { failuresOnly: true }),
    perAddress(deps, 'login-address', deps.config.LOGIN_FAILURES_PER_ADDRESS, { failuresOnly: true }),
  ];
  router.post('/login', ...loginLimits, async (req, res) => {
    const { actor, mustChangePassword } = await login(prisma, loginSchema.parse(req.body), deps.services.clock.now());
    await new Promise<void>((resolve, reject) => req.session.regenerate((e) => (e ? reject(e) : resolve())));
    req.session.actor = actor;
    req.session.mustChangePassword = mustChangePassword;
    req.session.signedInAt = Date.now();
    res.json({ user: await currentUser(prisma, actor) });
  });

  router.post('/logout', (req, res, next) => {
    req.session.destroy((err) => (err ? next(err) : res.status(204).end()));
  });

  router.get('/me', async (req, res) => {
    res.json({
      user: await currentUser(prisma, actorOf(req), req.session.providerActor),
      links: {
        temporalUi: deps.config.TEMPORAL_UI_URL,
        outbox: deps.config.OUTBOX_URL ?? null,
        sandboxBankStatement: deps.config.SANDBOX_BANK_STATEMENT_URL ?? null,
      },
    });
  });

  // 退出应用: a service provider that entered an application returns to its own portal.
  router.post('/leave-application', async (req, res) => {
    actorOf(req);
    const provider = req.session.providerActor;
    if (!provider) throw new BusinessError('auth.not_in_application');
    req.session.actor = provider;
    delete req.session.providerActor;
    res.json({ user: await currentUser(prisma, provider) });
  });

  // 修改密码, also the forced change of an initial password at first login.
  router.post('/password', perAccount(deps, 'password', 20, 'user'), async (req, res) => {
    const actor = actorOf(req);
    await changePassword(prisma, actor, changePasswordSchema.parse(req.body ?? {}), deps.services.clock.now());
    req.session.mustChangePassword = false;
    await endOtherSessions(prisma, actor.userId, req.sessionID);
    res.json({ changed: true });
  });

  // 忘记密码: a code to the registered phone (same answer whether or not the account exists), then the reset.
  router.post('/password-reset/code', perAccount(deps, 'reset-code', 5), (req, res) => {
    requestPasswordReset(deps.services, resetCodeSchema.parse(req.body ?? {}).username, (err) => console.error('[api] password reset code:', err));
    res.status(202).json({ message: '如该账号已登记手机号，验证码已发送至该手机，10分钟内有效' });
  });
  router.post('/password-reset', perAccount(deps, 'reset', 10), async (req, res) => {
    const userId = await resetPassword(prisma, deps.services, resetPasswordSchema.parse(req.body ?? {}), deps.services.clock.now());
    await endOtherSessions(prisma, userId, null);
    res.json({ reset: true });
  });

  return router;
}

/** 登录与账号 in the portal's API document. */
export const authDoc: RouterDoc = {
  tag: '登录与账号',
  admits: 'SIGNED_IN',
  routes: {
    'POST /login': {
      summary: '登录（账号锁定与限流见说明）',
      description: '同一账号 15 分钟内失败 10 次、同一地址失败过多即限流；连续 5 次密码错误锁定账号（忘记密码可解锁）。',
      admits: 'PUBLIC',
      body: loginSchema,
      example: { username: '1001001', password: 'Demo@2026' },
    },
    'POST /logout': { summary: '退出登录', admits: 'PUBLIC', status: 204, answer: 'none' },
    'GET /me': { summary: '当前用户、角色与可见菜单' },
    'POST /leave-application': { summary: '退出应用：服务商回到自己的门户' },
    'POST /password': {
      summary: '修改密码（首次登录须修改初始密码）',
      body: changePasswordSchema,
      example: { currentPassword: 'Demo@2026', newPassword: 'N3w-Passw0rd!' },
    },
    'POST /password-reset/code': {
      summary: '忘记密码：向登记手机发送验证码（账号是否存在应答相同）',
      admits: 'PUBLIC',
      body: resetCodeSchema,
      status: 202,
      example: { username: '1001001' },
    },
    'POST /password-reset': {
      summary: '忘记密码：以验证码设置新密码',
      admits: 'PUBLIC',
      body: resetPasswordSchema,
      example: { username: '1001001', code: '123456', newPassword: 'N3w-Passw0rd!' },
    },
  },
};
