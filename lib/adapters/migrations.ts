/**
 * Applies the SQL migrations of prisma/migrations without the Prisma CLI (a development tool the
 * runtime image does not carry). It keeps Prisma's own bookkeeping (`_prisma_migrations`: name,
 * SHA-256 checksum of migration.sql, start and finish), so `prisma migrate deploy` and this runner
 * agree on what is applied. Each migration runs in its own transaction; concurrent runners (several
 * processes starting at once) wait on Prisma's advisory lock.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

/** prisma/migrations of the project, found upwards from this file (the sources, or compiled code under dist/). */
export const MIGRATIONS_DIR = (() => {
  for (let dir = __dirname, i = 0; i < 6; i++, dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'prisma', 'migrations');
    if (fs.existsSync(candidate)) return candidate;
  }
  return path.resolve(__dirname, '..', '..', 'prisma', 'migrations');
})();
/** The lock `prisma migrate` takes (the same number), so the two never run at once. */
const MIGRATION_LOCK = 72707369;

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

export async function applyMigrations(databaseUrl: string, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      const done = new Map(
        (
          await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
            `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
          )
        ).rows.map((r) => [r.migration_name, r]),
      );
      const names = fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, 'migration.sql')))
        .map((d) => d.name)
        .sort();
      const applied: string[] = [];
      for (const name of names) {
        const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
        const checksum = createHash('sha256').update(sql).digest('hex');
        const earlier = done.get(name);
        if (earlier?.finished_at) {
          if (earlier.checksum !== checksum) throw new Error(`migration ${name} was changed after it was applied (checksum differs)`);
          continue;
        }
        if (earlier) throw new Error(`migration ${name} started earlier and did not finish: resolve it before applying more`);
        await client.query('BEGIN');
        try {
          await client.query(sql);
          await client.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count) VALUES ($1, $2, $3, now(), now(), 1)`,
            [randomUUID(), checksum, name],
          );
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw new Error(`migration ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
        }
        applied.push(name);
      }
      return { applied, alreadyApplied: names.length - applied.length };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await client.end();
  }
}
