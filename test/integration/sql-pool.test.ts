/** The plain SQL pool of the hot paths (lib/adapters/db.ts) when PostgreSQL drops its connections. */
import { createSqlPool, inTransaction, insertRow, utc } from '../../lib/adapters/db';
import { fileHarness } from '../support/harness';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('plain SQL pool', () => {
  const h = fileHarness();

  it('survives a connection terminated in the middle of a transaction: that transaction fails, the next one runs', async () => {
    const pool = createSqlPool(h.config.DATABASE_URL, 2);
    try {
      const transaction = inTransaction(pool, async (db) => {
        const { rows } = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        // As a database restart does: the server ends this backend while the client sits between two statements.
        await h.services.sql.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
        await sleep(300);
        await db.query('SELECT 1');
      });
      await expect(transaction).rejects.toThrow();
      const { rows } = await pool.query<{ one: number }>('SELECT 1 AS one');
      expect(rows[0]!.one).toBe(1);
    } finally {
      await pool.end();
    }
  });

  it('writes instants as UTC into Prisma DateTime columns, whatever the session time zone', async () => {
    const pool = createSqlPool(h.config.DATABASE_URL, 1);
    try {
      const at = new Date('2026-12-01T00:00:05.123Z');
      const scope = `sql-pool-test:${Date.now()}`;
      await inTransaction(pool, async (db) => {
        await db.query(`SET LOCAL TIME ZONE 'Asia/Shanghai'`);
        await insertRow(db, 'SmsScopeLock', { scope, lockedUntil: at, reason: 'TEST', createdAt: at });
      });
      const lock = await h.services.prisma.smsScopeLock.findUniqueOrThrow({ where: { scope } });
      expect(lock.lockedUntil.toISOString()).toBe(at.toISOString());
      expect(utc(at)).toBe('2026-12-01T00:00:05.123Z');
      await h.services.prisma.smsScopeLock.delete({ where: { scope } });
    } finally {
      await pool.end();
    }
  });
});
