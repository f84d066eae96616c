// Runs the Prisma CLI offline: sets the variables every call needs
// (a DATABASE_URL even for `generate`, and no telemetry call home).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const cli = require.resolve('prisma/build/index.js');
const env = {
  ...process.env,
  CHECKPOINT_DISABLE: '1',
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://unused@127.0.0.1:5432/unused',
};
const result = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
