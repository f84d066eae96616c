/**
 * The web UI's own process: serves the built single-page app and forwards /api
 * to the API, so members and staff open one URL while web and API scale apart.
 */
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';

/** web/dist (built by `npm run build:web`), found from the sources (web/server) and from the compiled dist/web/server. */
export const DEFAULT_DIST =
  [path.resolve(__dirname, '../dist'), path.resolve(__dirname, '../../../web/dist')].find((d) => fs.existsSync(path.join(d, 'index.html'))) ??
  path.resolve(__dirname, '../dist');

/**
 * The API processes behind the one URL: API_URL names one, or several separated by commas
 * (the cluster mode runs two). Requests go to them in turn; sessions and rate-limit counts live
 * in PostgreSQL, so any of them can answer any request.
 */
export function apiTargets(apiUrl: string): string[] {
  const targets = apiUrl
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  for (const t of targets) {
    if (!/^https?:\/\/[^/]+\/?$/.test(t)) throw new Error(`API_URL: ${t} is not an http(s) origin`);
  }
  if (targets.length === 0) throw new Error('API_URL names no API');
  return targets;
}

export function createWebServer(opts: { apiUrl: string; distDir?: string }): express.Express {
  const dist = opts.distDir ?? DEFAULT_DIST;
  if (!fs.existsSync(path.join(dist, 'index.html'))) {
    throw new Error(`${dist}/index.html is missing: build the web UI first (npm run build:web)`);
  }
  const targets = apiTargets(opts.apiUrl);
  let next = 0;
  const app = express();
  app.disable('x-powered-by');
  // The API sets the security headers of its answers; these are for the pages and assets.
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'SAMEORIGIN');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; frame-ancestors 'self'",
    );
    next();
  });
  app.use(
    createProxyMiddleware({
      target: targets[0],
      router: () => targets[next++ % targets.length]!,
      // The portal's API and the applications' signed open API, both on the one URL.
      pathFilter: ['/api', '/openapi'],
      xfwd: true,
      proxyTimeout: 60_000,
    }),
  );
  app.use('/assets', express.static(path.join(dist, 'assets'), { immutable: true, maxAge: '30d' }));
  app.use(express.static(dist, { index: false }));
  // Client-side routes (/login, /members/…, /onboard/<token>) all load the app.
  app.get(/^(?!\/(api|openapi)\/).*/, (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(path.join(dist, 'index.html'));
  });
  return app;
}
