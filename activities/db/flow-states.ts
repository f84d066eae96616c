/**
 * The operator console's read model (FlowInstance): workflows report their
 * stage through recordFlowState; failing activities are recorded by the
 * activity wrapper (activities/index.ts). Writes carry a version so a retried
 * or late write never overwrites a newer one.
 */
import type { Clock } from '../../lib/adapters/clock';
import type { PrismaClient } from '@prisma/client';
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

export function createFlowStateActivities(deps: { clock: Clock; prisma: PrismaClient }) {
  const { prisma } = deps;
  return {
    async recordFlowState(r: FlowStateReport): Promise<void> {
      // The search text is what an operator may type: application, member number and name, masked phone.
      const rows = await prisma.$queryRaw<{ text: string }[]>`
        SELECT lower(concat_ws(' ', a."appNo", a."name", m."bizUserId", m."displayName", m."boundPhoneMasked", m."legalPhoneMasked",
          (SELECT string_agg(c."reservedPhoneMasked", ' ') FROM "BankCard" c WHERE c."memberId" = m.id))) AS text
        FROM (SELECT 1) one
        LEFT JOIN "Application" a ON a.id = ${r.applicationId}::uuid
        LEFT JOIN "Member" m ON m.id = ${r.memberId}::uuid`;
      const searchText = `${r.workflowId.toLowerCase()} ${r.businessKey.toLowerCase()} ${rows[0]?.text ?? ''}`.trim();
      const deadline = r.deadline ? deps.clock.fromSystemTime(r.deadline) : null;
      const now = deps.clock.now();
      await prisma.$executeRaw`
        INSERT INTO "FlowInstance" ("workflowId", "flow", "businessKey", "applicationId", "memberId", "stage", "stageLabel",
          "waitingFor", "deadline", "closed", "searchText", "failingStep", "retryable", "lastError", "lastErrorAt", "version", "stageSince", "updatedAt")
        VALUES (${r.workflowId}, ${r.flow}, ${r.businessKey}, ${r.applicationId}::uuid, ${r.memberId}::uuid, ${r.stage}, ${r.stageLabel},
          ${r.waitingFor}, ${deadline}, ${r.closed}, ${searchText}, ${r.stuckStep?.step ?? null}, ${r.stuckStep !== null},
          ${r.stuckStep?.error ?? null}, ${r.stuckStep ? now : null}, ${BigInt(r.version)}, ${now}, ${now})
        ON CONFLICT ("workflowId") DO UPDATE SET
          "stageSince" = CASE WHEN "FlowInstance"."stage" = EXCLUDED."stage" THEN "FlowInstance"."stageSince" ELSE ${now} END,
          "businessKey" = EXCLUDED."businessKey", "memberId" = EXCLUDED."memberId", "stage" = EXCLUDED."stage",
          "stageLabel" = EXCLUDED."stageLabel", "waitingFor" = EXCLUDED."waitingFor", "deadline" = EXCLUDED."deadline",
          "closed" = EXCLUDED."closed", "searchText" = EXCLUDED."searchText",
          -- progress clears a failure; a stuck step sets it with its error
          "failingStep" = EXCLUDED."failingStep", "retryable" = EXCLUDED."retryable",
          "lastError" = coalesce(EXCLUDED."lastError", "FlowInstance"."lastError"),
          "lastErrorAt" = coalesce(EXCLUDED."lastErrorAt", "FlowInstance"."lastErrorAt"),
          "version" = EXCLUDED."version", "updatedAt" = ${now}
        WHERE "FlowInstance"."version" < EXCLUDED."version"`;
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
