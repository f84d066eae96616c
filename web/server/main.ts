/** Web UI process: `node --import tsx web/server/main.ts` (WEB_PORT, API_URL). */
import { createWebServer } from './server';

const port = Number(process.env.WEB_PORT ?? 3000);
const host = process.env.WEB_HOST ?? '127.0.0.1';
const apiUrl = process.env.API_URL ?? 'http://127.0.0.1:3001';
const server = createWebServer({ apiUrl }).listen(port, host, () => {
  console.log(`[web] serving on http://${host}:${port} (API ${apiUrl})`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
