import { Router } from 'express';
import rateLimit from 'express-rate-limit';
import { BusinessError } from '../../domain/errors';
import type { AppDeps } from '../context';
import { actorOf } from '../context';
import { loginSchema } from './schemas';
import { currentUser, login } from './service';

export function authRouter(deps: AppDeps): Router {
  const router = Router();
  const { prisma } = deps.services;

  // Password guessing: 10 tries per account name per 15 minutes.
  const loginLimit = rateLimit({
    windowMs: 15 * 60 * 1000,
    limit: 10,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => `login:${String((req.body as { username?: unknown } | undefined)?.username ?? '').toLowerCase()}`,
    handler: (_req, _res, next) => next(new BusinessError('auth.too_many_attempts')),
  });

  router.post('/login', loginLimit, async (req, res) => {
    const actor = await login(prisma, loginSchema.parse(req.body));
    await new Promise<void>((resolve, reject) => req.session.regenerate((e) => (e ? reject(e) : resolve())));
    req.session.actor = actor;
    res.json({ user: await currentUser(prisma, actor) });
  });

  router.post('/logout', (req, res, next) => {
    req.session.destroy((err) => (err ? next(err) : res.status(204).end()));
  });

  router.get('/me', async (req, res) => {
    res.json({
      user: await currentUser(prisma, actorOf(req)),
      links: { temporalUi: deps.config.TEMPORAL_UI_URL, outbox: deps.config.OUTBOX_URL ?? null },
    });
  });

  return router;
}
