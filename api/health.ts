/** /healthz, /readyz and /metrics of the API process, and the request-latency histogram. */
import { Router, type NextFunction, type Request, type Response } from 'express';
import { postgresCheck, readiness } from '../lib/adapters/health';
import { httpRequestDuration, registry, verificationPendingOldest } from '../lib/adapters/metrics';
import type { AppDeps } from './context';
import { oldestWaitSeconds, pendingVerifications } from './operator/verification-outage';

export function healthRoutes(deps: AppDeps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  router.get('/readyz', async (_req, res) => {
    const result = await readiness([
      postgresCheck(deps.services.prisma),
      { name: 'temporal', run: () => deps.temporal.connection.workflowService.getSystemInfo({}) },
    ]);
    res.status(result.ready ? 200 : 503).json(result);
  });
  router.get('/metrics', async (_req, res) => {
    // Read at each scrape: the database knows who waits, whichever process served them.
    const { since } = await pendingVerifications(deps.services.sql).catch(() => ({ since: null }));
    verificationPendingOldest.set(oldestWaitSeconds(deps.services.clock, since));
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}

/** Latency of every request, labelled by the route pattern (never the raw path, which carries ids). */
export function requestMetrics(req: Request, res: Response, next: NextFunction): void {
  const stop = httpRequestDuration.startTimer();
  res.on('finish', () => {
    const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
    stop({ method: req.method, route, status: `${Math.floor(res.statusCode / 100)}xx` });
  });
  next();
}
