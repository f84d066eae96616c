import fs from 'node:fs';
import path from 'node:path';
import connectPgSimple from 'connect-pg-simple';
import express from 'express';
import session from 'express-session';
import helmet from 'helmet';
import pg from 'pg';
import { BusinessError } from '../domain/errors';
import { authRouter } from './auth/router';
import type { AppDeps } from './context';
import { errorMiddleware } from './errors';
import { membersRouter } from './members/router';
import { onboardingRouter } from './onboarding/router';
import { operatorRouter } from './operator/router';

export interface App {
  app: express.Express;
  close(): Promise<void>;
}

/** The HTTP API (and, when built, the web UI) over the given dependencies. */
export function createApp(deps: AppDeps, opts: { log?: (err: unknown) => void } = {}): App {
  const app = express();
  const log = opts.log ?? ((err) => console.error('[api]', err));
  const sessionPool = new pg.Pool({ connectionString: deps.config.DATABASE_URL, max: 5 });
  const PgStore = connectPgSimple(session);

  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { 'img-src': ["'self'", 'data:', 'blob:'], 'upgrade-insecure-requests': null },
      },
    }),
  );
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
  app.use('/api', (_req, _res, next) => next(new BusinessError('resource.not_found', '接口不存在')));

  // The built web UI, with client-side routes falling back to index.html.
  const webDist = deps.config.WEB_DIST ?? path.resolve(__dirname, '../web/dist');
  if (fs.existsSync(path.join(webDist, 'index.html'))) {
    app.use(express.static(webDist, { index: false, maxAge: '1h' }));
    app.get(/^(?!\/api\/).*/, (_req, res) => {
      res.sendFile(path.join(webDist, 'index.html'));
    });
  }

  app.use(errorMiddleware(log));
  return { app, close: () => sessionPool.end() };
}
