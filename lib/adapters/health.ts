/**
 * Readiness of a process: can it reach Postgres and Temporal? Used by the
 * API's and the worker's /readyz. Each check is bounded so a hung dependency
 * answers "not ready" instead of hanging the probe.
 */
import type { PrismaClient } from '@prisma/client';

export interface ReadinessCheck {
  name: string;
  run(): Promise<unknown>;
}

function within<T>(ms: number, p: Promise<T>): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`超时（${ms}ms）`)), ms).unref())]);
}

export async function readiness(checks: ReadinessCheck[], timeoutMs = 2_000) {
  const results = await Promise.all(
    checks.map(async (c) => {
      try {
        await within(timeoutMs, c.run());
        return [c.name, { ok: true }] as const;
      } catch (err) {
        return [c.name, { ok: false, error: String((err as Error)?.message ?? err).slice(0, 200) }] as const;
      }
    }),
  );
  return { ready: results.every(([, r]) => r.ok), checks: Object.fromEntries(results) };
}

export function postgresCheck(prisma: PrismaClient): ReadinessCheck {
  return { name: 'postgres', run: () => prisma.$queryRaw`SELECT 1` };
}
