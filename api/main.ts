/** API process: `tsx api/main.ts`. */
import { config } from '../lib/adapters/config';
import { createServices } from '../lib/services';
import { connectTemporalClient } from '../lib/adapters/temporal';
import { createApp } from './app';

async function main() {
  const cfg = config();
  const services = createServices(cfg, { poolSize: 20 });
  const temporal = await connectTemporalClient(cfg);
  const { app, close } = createApp({ config: cfg, services, temporal });
  const server = app.listen(cfg.API_PORT, cfg.API_HOST, () => {
    console.log(`[api] listening on http://${cfg.API_HOST}:${cfg.API_PORT}`);
  });
  const stop = () => {
    server.close(() => {
      void Promise.all([close(), services.prisma.$disconnect(), temporal.connection.close()]).then(() => process.exit(0));
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error('[api] fatal:', err);
  process.exit(1);
});
