/**
 * The operator console's read model (FlowInstance): workflows report their
 * stage through recordFlowState; failing activities are recorded by the
 * activity wrapper (activities/index.ts). Writes carry a version so a retried
 * or late write never overwrites a newer one.
 */
import type { Clock } from '../../lib/adapters/clock';
import type { PrismaClient } from '@prisma/client';
import type pg from 'pg';
import { type Sql, utc } from '../../lib/adapters/db';
import type { FlowType, WaitingFor } from '../../domain/flows';

export interface FlowStateReport {
  workflowId: string;
  flow: FlowType;
  businessKey: string;
  applicationId: string | null;
  memberId: string | null;
  stage: string;
  stageLabel: string;
  waitingFor: WaitingFor;
  deadline: string | null;
  closed: boolean;
  /** A step that failed for good and waits for an operator's 重试. */
  stuckStep: { step: string; error: string } | null;
  version: number;
}

/**
 * Writes a flow's report into the console's read model, in the caller's transaction when it
 * gives one: a member's action writes its stage change with its own data (one local activity).
 */
export async function writeFlowState(db: Sql, clock: Clock, r: FlowStateReport): Promise<void> {
  const deadline = r.deadline ? clock.fromSystemTime(r.deadline) : null;
  const now = clock.now();
  // The search text is what an operator may type: application, member number and name, masked phone
  // (read in the same statement, as the row is written).
  await db.query({
    name: 'record-flow-state',
    text: `WITH search AS (
             SELECT lower(concat_ws(' ', a."appNo", a."name", m."bizUserId", m."displayName", m."boundPhoneMasked", m."legalPhoneMasked",
               (SELECT string_agg(c."reservedPhoneMasked", ' ') FROM "BankCard" c WHERE c."memberId" = m.id))) AS text
             FROM (SELECT 1) one
             LEFT JOIN "Application" a ON a.id = $4::uuid
             LEFT JOIN "Member" m ON m.id = $5::uuid)
           INSERT INTO "FlowInstance" ("workflowId", "flow", "businessKey", "applicationId", "memberId", "stage", "stageLabel",
             "waitingFor", "deadline", "closed", "searchText", "failingStep", "retryable", "lastError", "lastErrorAt", "version", "stageSince", "updatedAt")
           SELECT $1, $2, $3, $4::uuid, $5::uuid, $6, $7, $8, ($9::timestamptz AT TIME ZONE 'UTC'), $10,
                  trim($17 || ' ' || coalesce(search.text, '')), $11, $12, $13,
                  ($14::timestamptz AT TIME ZONE 'UTC'), $15::bigint, ($16::timestamptz AT TIME ZONE 'UTC'), ($16::timestamptz AT TIME ZONE 'UTC')
             FROM search
           ON CONFLICT ("workflowId") DO UPDATE SET
             "stageSince" = CASE WHEN "FlowInstance"."stage" = EXCLUDED."stage" THEN "FlowInstance"."stageSince" ELSE EXCLUDED."stageSince" END,
             "businessKey" = EXCLUDED."businessKey", "memberId" = EXCLUDED."memberId", "stage" = EXCLUDED."stage",
             "stageLabel" = EXCLUDED."stageLabel", "waitingFor" = EXCLUDED."waitingFor", "deadline" = EXCLUDED."deadline",
             "closed" = EXCLUDED."closed", "searchText" = EXCLUDED."searchText",
             -- progress clears a failure; a stuck step sets it with its error
             "failingStep" = EXCLUDED."failingStep", "retryable" = EXCLUDED."retryable",
             "lastError" = coalesce(EXCLUDED."lastError", "FlowInstance"."lastError"),
             "lastErrorAt" = coalesce(EXCLUDED."lastErrorAt", "FlowInstance"."lastErrorAt"),
             "version" = EXCLUDED."version", "updatedAt" = EXCLUDED."updatedAt"
           WHERE "FlowInstance"."version" < EXCLUDED."version"`,
    values: [
      r.workflowId,
      r.flow,
      r.businessKey,
      r.applicationId,
      r.memberId,
      r.stage,
      r.stageLabel,
      r.waitingFor,
      deadline ? utc(deadline) : null,
      r.closed,
      r.stuckStep?.step ?? null,
      r.stuckStep !== null,
      r.stuckStep?.error ?? null,
      r.stuckStep ? utc(now) : null,
      String(r.version),
      utc(now),
      `${r.workflowId.toLowerCase()} ${r.businessKey.toLowerCase()}`,
    ],
  });
}

export function createFlowStateActivities(deps: { clock: Clock; sql: pg.Pool }) {
  return {
    async recordFlowState(r: FlowStateReport): Promise<void> {
      await writeFlowState(deps.sql, deps.clock, r);
    },
  };
}

/** Records an activity attempt that failed unexpectedly (not a business answer), and clears it once it succeeds. */
export function activityFailureRecorder(prisma: PrismaClient) {
  const failing = new Set<string>();
  return {
    async failed(workflowId: string, activity: string, err: unknown, attempt: number): Promise<void> {
      failing.add(`${workflowId}\u0000${activity}`);
      const message = `${activity}（第${attempt}次）：${err instanceof Error ? err.message : String(err)}`.slice(0, 1000);
      await prisma.$executeRaw`
        UPDATE "FlowInstance" SET "lastError" = ${message}, "lastErrorAt" = now(), "failingStep" = ${activity}, "updatedAt" = now()
        WHERE "workflowId" = ${workflowId} AND NOT "retryable"`.catch(() => undefined);
    },
    async succeeded(workflowId: string, activity: string): Promise<void> {
      if (!failing.delete(`${workflowId}\u0000${activity}`)) return;
      await prisma.$executeRaw`
        UPDATE "FlowInstance" SET "failingStep" = NULL, "updatedAt" = now()
        WHERE "workflowId" = ${workflowId} AND "failingStep" = ${activity} AND NOT "retryable"`.catch(() => undefined);
    },
  };
}
