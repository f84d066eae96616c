/**
 * The daily close (期末余额, seed 000 §1.7.3): after each Shanghai business day, every account's
 * end-of-day balance, written once. EOD(D) = EOD(D−1) + the movements booked on D (an account
 * without an EOD(D−1) starts from the sum of its movements before D); the close then checks each
 * EOD(D) against the sum of all the account's movements up to D and records how many differ.
 *
 * Late results: a movement carries the business day it is booked on (lib/business/orders.ts), so
 * a channel result that arrives after its order's day closed is booked on the day it arrives,
 * never into a closed day.
 */
import type pg from 'pg';
import { type Sql, inTransaction } from '../adapters/db';

export interface DayClosed {
  day: string;
  accounts: number;
  movements: number;
  mismatches: number;
}

export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

export function previousDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** The days a close run closes: those after the last closed one up to yesterday (only yesterday when none was closed yet). */
export function daysToClose(lastClosed: string | null, today: string): string[] {
  const yesterday = previousDay(today);
  const days: string[] = [];
  for (let d = lastClosed ? nextDay(lastClosed) : yesterday; d <= yesterday; d = nextDay(d)) days.push(d);
  return days;
}

/**
 * Writes EOD(day) of the accounts opened by the end of that day (Shanghai) — of one application, or
 * of all — and counts those that differ from the sum of their movements up to the day. Rows already
 * there stay: a day is written once.
 */
export async function writeEndOfDay(
  db: Sql,
  day: string,
  applicationId: string | null = null,
): Promise<{ accounts: number; movements: number; mismatches: number }> {
  const written = await db.query(
    `INSERT INTO "DailyBalance" ("accountId", day, "balanceFen")
     SELECT a.id, $1,
            coalesce(prev."balanceFen", (SELECT coalesce(sum(m."amountFen"), 0) FROM "Movement" m WHERE m."accountId" = a.id AND m."businessDay" < $1))
            + coalesce(d.total, 0)
       FROM "Account" a
       LEFT JOIN "DailyBalance" prev ON prev."accountId" = a.id AND prev.day = $2
       LEFT JOIN (SELECT "accountId", sum("amountFen") AS total FROM "Movement" WHERE "businessDay" = $1 GROUP BY "accountId") d ON d."accountId" = a.id
      WHERE a."createdAt" < (($1::date + 1)::timestamp - interval '8 hours') AND ($3::uuid IS NULL OR a."applicationId" = $3::uuid)
     ON CONFLICT ("accountId", day) DO NOTHING`,
    [day, previousDay(day), applicationId],
  );
  const {
    rows: [check],
  } = await db.query<{ movements: number; mismatches: number }>(
    `SELECT (SELECT count(*)::int FROM "Movement" m WHERE m."businessDay" = $1
               AND ($2::uuid IS NULL OR m."accountId" IN (SELECT id FROM "Account" WHERE "applicationId" = $2::uuid))) AS movements,
            (SELECT count(*)::int FROM "DailyBalance" e
              WHERE e.day = $1 AND ($2::uuid IS NULL OR e."accountId" IN (SELECT id FROM "Account" WHERE "applicationId" = $2::uuid))
                AND e."balanceFen" <> (SELECT coalesce(sum(m."amountFen"), 0) FROM "Movement" m WHERE m."accountId" = e."accountId" AND m."businessDay" <= $1)) AS mismatches`,
    [day, applicationId],
  );
  return { accounts: written.rowCount ?? 0, movements: check!.movements, mismatches: check!.mismatches };
}

/** Closes one day, once: null when it was closed already (by an earlier or a concurrent run). */
export async function closeBusinessDay(sql: pg.Pool, day: string): Promise<DayClosed | null> {
  return inTransaction(sql, async (db) => {
    const claimed = await db.query(`INSERT INTO "BusinessDayClose" (day) VALUES ($1) ON CONFLICT (day) DO NOTHING RETURNING day`, [day]);
    if (claimed.rowCount === 0) return null;
    // Rows already there (an application's demo history, lib/dev-stack/ledger-seed.ts) stay.
    const closed = { day, ...(await writeEndOfDay(db, day)) };
    await db.query(`UPDATE "BusinessDayClose" SET accounts = $2, movements = $3, mismatches = $4 WHERE day = $1`, [
      day,
      closed.accounts,
      closed.movements,
      closed.mismatches,
    ]);
    return closed;
  });
}

/** Closes every day not closed yet up to yesterday, oldest first. */
export async function closeBusinessDays(sql: pg.Pool, today: string): Promise<DayClosed[]> {
  const { rows } = await sql.query<{ last: string | null }>(`SELECT max(day) AS last FROM "BusinessDayClose"`);
  const closed: DayClosed[] = [];
  for (const day of daysToClose(rows[0]?.last ?? null, today)) {
    const c = await closeBusinessDay(sql, day);
    if (c) closed.push(c);
  }
  return closed;
}
