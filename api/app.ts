import connectPgSimple from 'connect-pg-simple';
import express from 'express';
import session from 'express-session';
import helmet from 'helmet';
import pg from 'pg';
import { BusinessError } from '../domain/errors';
import { acquiringRouter } from './acquiring/router';
import { agreementsRouter } from './agreements/router';
import { accountsRouter } from './accounts/router';
import { authRouter } from './auth/router';
import { ordersRouter } from './orders/router';
import { statementsRouter } from './statements/router';
import { importsRouter } from './imports/router';
import { migrationsRouter } from './migrations/router';
import { reviewsRouter } from './reviews/router';
import type { AppDeps } from './context';
import { errorMiddleware } from './errors';
import { membersRouter } from './members/router';
import { onboardingRouter } from './onboarding/router';
import { operatorRouter } from './operator/router';
import { signingRouter } from './signing/router';
import { splitRouter } from './split/router';
import { webhooksRouter } from './webhooks/router';
import { healthRoutes, requestMetrics } from './health';

export interface App {
  app: express.Express;
  close(): Promise<void>;
}

/** The HTTP API over the given dependencies (the web UI is its own process: web/server). */
export function createApp(deps: AppDeps, opts: { log?: (err: unknown) => void } = {}): App {
  const app = express();
  const log = opts.log ?? ((err) => console.error('[api]', err));
  const sessionPool = new pg.Pool({ connectionString: deps.config.DATABASE_URL, max: 5 });
  const PgStore = connectPgSimple(session);

  app.disable('x-powered-by');
  // The web process forwards /api from loopback (or, in docker-compose, the private network).
  app.set('trust proxy', 'loopback, uniquelocal');
  app.use(helmet());
  app.use(requestMetrics);
  // Liveness, readiness (Postgres and Temporal) and Prometheus metrics; not under /api, so the web process never forwards them.
  app.use(healthRoutes(deps));
  app.use(express.json({ limit: '100kb' }));
  app.use(
    '/api',
    session({
      store: new PgStore({ pool: sessionPool, tableName: 'session', createTableIfMissing: false }),
      name: 'yst_sid',
      secret: deps.config.SESSION_SECRET,
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: {
        httpOnly: true,
        sameSite: 'lax',
        secure: deps.config.PUBLIC_BASE_URL.startsWith('https:'),
        maxAge: 8 * 3600 * 1000,
      },
    }),
  );

  app.get('/api/health', (_req, res) => {
    res.json({ ok: true });
  });
  app.use('/api/auth', authRouter(deps));
  app.use('/api/members', membersRouter(deps));
  app.use('/api/onboarding', onboardingRouter(deps));
  app.use('/api/operator', operatorRouter(deps));
  app.use('/api/acquiring', acquiringRouter(deps));
  app.use('/api/agreements', agreementsRouter(deps));
  app.use('/api/signing', signingRouter(deps));
  app.use('/api/split', splitRouter(deps));
  app.use('/api/imports', importsRouter(deps));
  app.use('/api/migrations', migrationsRouter(deps));
  app.use('/api/reviews', reviewsRouter(deps));
  app.use('/api/orders', ordersRouter(deps));
  app.use('/api/accounts', accountsRouter(deps));
  app.use('/api/statements', statementsRouter(deps));
  app.use('/api/webhooks', webhooksRouter(deps));
  app.use('/api', (_req, _res, next) => next(new BusinessError('resource.not_found', '接口不存在')));

  app.use(errorMiddleware(log));
  return { app, close: () => sessionPool.end() };
}
