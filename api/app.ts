import { staffDoc, staffRouter } from './staff/router';
import { corporateAccountsDoc, corporateAccountsRouter } from './corporate-account/router';
import connectPgSimple from 'connect-pg-simple';
import express from 'express';
import session from 'express-session';
import helmet from 'helmet';
import pg from 'pg';
import { BusinessError } from '../domain/errors';
import { acquiringDoc, acquiringRouter } from './acquiring/router';
import { agreementsDoc, agreementsRouter } from './agreements/router';
import { accountsDoc, accountsRouter } from './accounts/router';
import { authDoc, authRouter } from './auth/router';
import { ordersDoc, ordersRouter } from './orders/router';
import { monthlyStatementsDoc, monthlyStatementsRouter } from './monthly-statements/router';
import { batchImportDoc, batchImportRouter } from './batch-import/router';
import { memberMigrationDoc, memberMigrationRouter } from './member-migration/router';
import { reviewsDoc, reviewsRouter } from './reviews/router';
import { type AppDeps, expireOldSessions, requirePasswordChanged } from './context';
import { errorMiddleware } from './errors';
import { membersDoc, membersRouter } from './members/router';
import { bankCardsDoc, bankCardsRouter } from './bank-cards/router';
import { memberOnboardingDoc, memberOnboardingRouter } from './member-onboarding/router';
import { operatorDoc, operatorRouter } from './operator/router';
import { signingDoc, signingRouter } from './signing/router';
import { splitRuleDoc, splitRuleRouter } from './split-rule/router';
import { webhooksDoc, webhooksRouter } from './webhooks/router';
import { providerDoc, providerRouter } from './provider/router';
import { applicationCentreDoc, applicationCentreRouter } from './application-centre/router';
import { paymentSolutionsDoc, paymentSolutionsRouter } from './payment-solutions/router';
import { applicationOnboardingDoc, applicationOnboardingRouter } from './application-onboarding/router';
import { openApiRouter } from './openapi/router';
import { openApiDocsPage, openApiDocument } from './openapi/document';
import { memberPortalDoc, memberPortalRouter } from './member-portal/router';
import { healthRoutes, requestMetrics } from './health';
import type { RouterDoc } from './route-docs';
import { portalApiDocument } from './portal-document';
import { renderDocsPage } from './docs-page';

/** Every API router and where it is mounted (also what the authorisation matrix test walks). */
export const API_ROUTERS: readonly (readonly [string, (deps: AppDeps) => express.Router, RouterDoc])[] = [
  ['/api/auth', authRouter, authDoc],
  ['/api/members', membersRouter, membersDoc],
  ['/api/bank-cards', bankCardsRouter, bankCardsDoc],
  ['/api/onboarding', memberOnboardingRouter, memberOnboardingDoc],
  ['/api/operator', operatorRouter, operatorDoc],
  ['/api/acquiring', acquiringRouter, acquiringDoc],
  ['/api/agreements', agreementsRouter, agreementsDoc],
  ['/api/signing', signingRouter, signingDoc],
  ['/api/split', splitRuleRouter, splitRuleDoc],
  ['/api/imports', batchImportRouter, batchImportDoc],
  ['/api/migrations', memberMigrationRouter, memberMigrationDoc],
  ['/api/reviews', reviewsRouter, reviewsDoc],
  ['/api/orders', ordersRouter, ordersDoc],
  ['/api/accounts', accountsRouter, accountsDoc],
  ['/api/statements', monthlyStatementsRouter, monthlyStatementsDoc],
  ['/api/webhooks', webhooksRouter, webhooksDoc],
  ['/api/provider', providerRouter, providerDoc],
  ['/api/application-centre', applicationCentreRouter, applicationCentreDoc],
  ['/api/payment-solutions', paymentSolutionsRouter, paymentSolutionsDoc],
  ['/api/application-onboardings', applicationOnboardingRouter, applicationOnboardingDoc],
  ['/api/member-portal', memberPortalRouter, memberPortalDoc],
  ['/api/corporate-accounts', corporateAccountsRouter, corporateAccountsDoc],
  ['/api/staff', staffRouter, staffDoc],
];

/** The signed open API's mount point (no session: the SM2 signature is the credential). */
export const OPEN_API_PREFIX = '/openapi/v1';

interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: RouterLayer[] };
  rawPath?: string;
  slash?: boolean;
}

/** The routes of a router as `METHOD /path`, nested routers included (`router.use(sub)` or `router.use('/x', sub)`). */
function routesOf(stack: RouterLayer[], prefix: string, out: { method: string; path: string }[]) {
  for (const layer of stack) {
    if (layer.route) {
      for (const method of Object.keys(layer.route.methods))
        out.push({ method: method.toUpperCase(), path: `${prefix}${layer.route.path === '/' ? '' : layer.route.path}` });
    } else if (layer.handle.stack) {
      routesOf(layer.handle.stack, layer.slash ? prefix : `${prefix}${layer.rawPath}`, out);
    }
  }
}

/** The routes of the API as `METHOD /path/:param`, read from the routers themselves (the open API's with `openApi`). */
export function listApiRoutes(deps: AppDeps, opts: { openApi?: boolean } = {}): { method: string; path: string }[] {
  const routes: { method: string; path: string }[] = [];
  const routers = opts.openApi ? ([[OPEN_API_PREFIX, openApiRouter]] as const) : API_ROUTERS;
  for (const [prefix, make] of routers) routesOf((make(deps) as unknown as { stack: RouterLayer[] }).stack, prefix, routes);
  return routes;
}

export interface App {
  app: express.Express;
  close(): Promise<void>;
}

/** The HTTP API over the given dependencies (the web UI is its own process: web/server). */
export function createApp(deps: AppDeps, opts: { log?: (err: unknown) => void } = {}): App {
  const app = express();
  const log = opts.log ?? ((err) => console.error('[api]', err));
  const sessionPool = new pg.Pool({ connectionString: deps.config.DATABASE_URL, max: 5 });
  // An idle connection cut by a database restart is dropped by the pool; unhandled, its error would end the process.
  sessionPool.on('error', (err) => log(`session store connection lost: ${err.message}`));
  const PgStore = connectPgSimple(session);

  app.disable('x-powered-by');
  // The web process forwards /api from loopback (or, in docker-compose, the private network).
  app.set('trust proxy', 'loopback, uniquelocal');
  app.use(helmet());
  app.use(requestMetrics);
  // Answers carry personal data (names, masked IDs, phones, statements): no browser or proxy keeps a copy.
  app.use(['/api', OPEN_API_PREFIX], (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  // Liveness, readiness (Postgres and Temporal) and Prometheus metrics; not under /api, so the web process never forwards them.
  app.use(healthRoutes(deps));
  // Both APIs' descriptions, readable without a signature or a login; made at the first request (they
  // depend on nothing at run time, and an API process that is never asked for them never builds them).
  const once = <T>(make: () => T) => {
    let made: T | undefined;
    return () => (made ??= make());
  };
  const openDocument = once(() => openApiDocument(OPEN_API_PREFIX));
  const openDocsPage = once(openApiDocsPage);
  const portalDocument = once(() => portalApiDocument(API_ROUTERS.map(([prefix, , doc]) => [prefix, doc] as const)));
  const portalDocsPage = once(() => renderDocsPage(portalDocument(), '/api/openapi.json'));
  app.get(`${OPEN_API_PREFIX}/openapi.json`, (_req, res) => void res.json(openDocument()));
  app.get(`${OPEN_API_PREFIX}/docs`, (_req, res) => void res.type('html').send(openDocsPage()));
  app.get('/api/openapi.json', (_req, res) => void res.json(portalDocument()));
  app.get('/api/docs', (_req, res) => void res.type('html').send(portalDocsPage()));
  // Signed server-to-server calls: no session, the raw body is part of what is signed.
  app.use(OPEN_API_PREFIX, openApiRouter(deps));
  app.use(express.json({ limit: '100kb' }));
  const sessionStore = new PgStore({ pool: sessionPool, tableName: 'session', createTableIfMissing: false });
  app.use(
    '/api',
    session({
      store: sessionStore,
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

  app.use('/api', expireOldSessions, requirePasswordChanged);

  app.get('/api/health', (_req, res) => {
    res.json({ ok: true });
  });
  for (const [prefix, router] of API_ROUTERS) app.use(prefix, router(deps));
  app.use('/api', (_req, _res, next) => next(new BusinessError('resource.not_found', '接口不存在')));

  app.use(errorMiddleware(log));
  return {
    app,
    // The store's pruning timer first: left running it would prune through an ended pool.
    close: async () => {
      sessionStore.close();
      await sessionPool.end();
    },
  };
}
