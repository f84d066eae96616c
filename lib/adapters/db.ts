import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from '@prisma/client';
import pg from 'pg';

/** Prisma over the pg driver adapter (no native query engine needed). */
export function createPrisma(databaseUrl: string, poolSize = 10): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: poolSize }) });
}

/**
 * Plain SQL for the member-facing hot paths (one statement where Prisma would send several, and
 * none of its per-query CPU). Its connections close when idle and never hold the process open.
 * Prisma's DateTime columns are `timestamp` without time zone holding UTC: read them as
 * `col AT TIME ZONE 'UTC'`, or node-postgres takes them for local time.
 */
export function createSqlPool(databaseUrl: string, poolSize = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize, allowExitOnIdle: true });
  // A connection lost (a database restart) is reported on the pool while idle and on the client
  // while checked out, between two statements of a transaction say: without a listener there, the
  // process would die. The next statement on such a client fails, and inTransaction drops it.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** True when a write failed on a unique constraint (P2002). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

export type { PrismaClient };

/** A statement runner: the pool, or one client inside a transaction. */
export type Sql = Pick<pg.Pool | pg.PoolClient, 'query'>;

/** Runs `work` in one transaction on one connection of the pool; rolled back when it throws. */
export async function inTransaction<T>(pool: pg.Pool, work: (db: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    // A connection that cannot even roll back is dropped, not handed to the next caller.
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
    throw err;
  } finally {
    client.release(broken);
  }
}

/** SQL for a DateTime column (UTC) as the ISO text the API answers with (`Date.toISOString()`'s form). */
export function isoText(column: string): string {
  return `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/**
 * An instant as a parameter for a Prisma DateTime column (`timestamp` holding UTC): pass it as
 * `($n::timestamptz AT TIME ZONE 'UTC')`. node-postgres would otherwise send the local time.
 */
export function utc(instant: Date): string {
  return instant.toISOString();
}

/**
 * INSERTs one row given as { column: value } (the columns are the code's, never a user's).
 * Dates are written as UTC (Prisma's DateTime), plain objects as jsonb; columns Prisma fills
 * itself must be given: `id` (a UUID) and `updatedAt` where the model has them.
 */
export async function insertRow(db: Sql, table: string, row: Record<string, unknown>, onConflict = ''): Promise<number> {
  const columns = Object.keys(row);
  const values: unknown[] = [];
  const placeholders = columns.map((c) => {
    const v = row[c];
    values.push(v instanceof Date ? v.toISOString() : isJsonObject(v) ? JSON.stringify(v) : v);
    const n = `$${values.length}`;
    return v instanceof Date ? `(${n}::timestamptz AT TIME ZONE 'UTC')` : isJsonObject(v) ? `${n}::jsonb` : n;
  });
  const result = await db.query({
    text: `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${placeholders.join(', ')}) ${onConflict}`,
    values,
  });
  return result.rowCount ?? 0;
}

function isJsonObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !(v instanceof Date) && !(v instanceof Uint8Array) && !Array.isArray(v);
}

/** A unique index refused the write (PostgreSQL 23505); `constraint` names which, when given. */
export function isUniqueViolationOf(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string };
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}
