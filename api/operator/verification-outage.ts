/**
 * 认证服务告警: members whose 实名信息 waits for the verification vendor (认证中), and whether the
 * oldest has waited past VERIFICATION_ALERT_MINUTES — then the vendor is out and the operators are
 * told, on their console and through the yst_verification_pending_oldest_seconds metric.
 */
import type pg from 'pg';
import type { Clock } from '../../lib/adapters/clock';
import type { AppDeps } from '../context';

/** How many members wait on the vendor now, and since when the oldest does (the app's clock). */
export async function pendingVerifications(sql: pg.Pool): Promise<{ waiting: number; since: Date | null }> {
  const { rows } = await sql.query<{ waiting: number; since: Date | null }>(
    `SELECT count(*)::int AS waiting, min("verificationPendingSince") AT TIME ZONE 'UTC' AS since
       FROM "OnboardingSession" WHERE "verificationPendingSince" IS NOT NULL AND stage = 'INFORMATION'`,
  );
  return rows[0] ?? { waiting: 0, since: null };
}

export function oldestWaitSeconds(clock: Clock, since: Date | null): number {
  return since === null ? 0 : Math.max(0, Math.floor((clock.now().getTime() - since.getTime()) / 1000));
}

export async function verificationOutage(deps: AppDeps) {
  const { waiting, since } = await pendingVerifications(deps.services.sql);
  const waitedMinutes = Math.floor(oldestWaitSeconds(deps.services.clock, since) / 60);
  const thresholdMinutes = deps.config.VERIFICATION_ALERT_MINUTES;
  return {
    waiting,
    oldestSince: since?.toISOString() ?? null,
    waitedMinutes,
    thresholdMinutes,
    alerting: waiting > 0 && waitedMinutes >= thresholdMinutes,
  };
}
