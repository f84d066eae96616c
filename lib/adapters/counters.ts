/**
 * Counters in a time window, kept in PostgreSQL so every API process sees the same count (the
 * production topology runs several): the rate limits and the login lock-outs. Each change is one
 * atomic statement, so parallel requests never lose a hit.
 */
import type { PrismaClient } from '@prisma/client';
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type { Clock } from './clock';

export interface WindowCount {
  hits: number;
  resetAt: Date;
}

/** One more hit of `key`; a window that ended starts again at 1. */
export async function countHit(prisma: PrismaClient, key: string, windowMs: number, now: Date): Promise<WindowCount> {
  const resetAt = new Date(now.getTime() + windowMs);
  const [row] = await prisma.$queryRaw<WindowCount[]>`
    INSERT INTO "RateLimitCounter" (key, hits, "resetAt") VALUES (${key}, 1, ${resetAt})
    ON CONFLICT (key) DO UPDATE SET
      hits = CASE WHEN "RateLimitCounter"."resetAt" <= ${now} THEN 1 ELSE "RateLimitCounter".hits + 1 END,
      "resetAt" = CASE WHEN "RateLimitCounter"."resetAt" <= ${now} THEN ${resetAt} ELSE "RateLimitCounter"."resetAt" END
    RETURNING hits, "resetAt"`;
  return row!;
}

/** The running window of `key`, if any. */
export async function currentCount(prisma: PrismaClient, key: string, now: Date): Promise<WindowCount | null> {
  const row = await prisma.rateLimitCounter.findUnique({ where: { key } });
  return row && row.resetAt.getTime() > now.getTime() ? { hits: row.hits, resetAt: row.resetAt } : null;
}

/** Sets `key` to a window of its own (a lock until `resetAt`). */
export async function setWindow(prisma: PrismaClient, key: string, resetAt: Date): Promise<void> {
  await prisma.rateLimitCounter.upsert({ where: { key }, update: { hits: 1, resetAt }, create: { key, hits: 1, resetAt } });
}

export async function clearCount(prisma: PrismaClient, ...keys: string[]): Promise<void> {
  await prisma.rateLimitCounter.deleteMany({ where: { key: { in: keys } } });
}

/** express-rate-limit's store over the same table. */
export class SharedRateLimitStore implements Store {
  private windowMs = 15 * 60 * 1000;
  readonly localKeys = false;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly clock: Clock,
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const count = await currentCount(this.prisma, this.prefix + key, this.clock.now());
    return count ? { totalHits: count.hits, resetTime: this.onWallClock(count.resetAt) } : undefined;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const count = await countHit(this.prisma, this.prefix + key, this.windowMs, this.clock.now());
    return { totalHits: count.hits, resetTime: this.onWallClock(count.resetAt) };
  }

  /**
   * The window's end as express-rate-limit sees time: it compares resetTime with the wall clock (and
   * skips the success decrement of a window it takes for ended), while windows run on the app's clock.
   */
  private onWallClock(resetAt: Date): Date {
    return new Date(Date.now() + (resetAt.getTime() - this.clock.now().getTime()));
  }

  async decrement(key: string): Promise<void> {
    await this.prisma.$executeRaw`UPDATE "RateLimitCounter" SET hits = GREATEST(hits - 1, 0) WHERE key = ${this.prefix + key}`;
  }

  async resetKey(key: string): Promise<void> {
    await clearCount(this.prisma, this.prefix + key);
  }
}

/** Drops windows that ended (every name or address ever tried leaves a row); the worker runs it hourly. */
export async function pruneEndedCounts(prisma: PrismaClient, now: Date, opts: { keyPrefix?: string } = {}): Promise<number> {
  const key = opts.keyPrefix ? { startsWith: opts.keyPrefix } : undefined;
  const { count } = await prisma.rateLimitCounter.deleteMany({ where: { resetAt: { lt: now }, ...(key ? { key } : {}) } });
  if (!key) await prisma.smsScopeLock.deleteMany({ where: { lockedUntil: { lt: now } } });
  return count;
}
