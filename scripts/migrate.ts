/** Applies the database migrations: `node dist/scripts/migrate.js` (the compose migrate job), or `tsx scripts/migrate.ts`. */
import { applyMigrations } from '../lib/adapters/migrations';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('[migrate] DATABASE_URL is not set');
  process.exit(1);
}
applyMigrations(url).then(
  ({ applied, alreadyApplied }) =>
    console.log(`[migrate] applied ${applied.length} migration(s)${applied.length ? `: ${applied.join(', ')}` : ''}; ${alreadyApplied} already applied`),
  (err: unknown) => {
    console.error('[migrate]', err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
