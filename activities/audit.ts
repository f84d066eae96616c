/**
 * Audit rows written by activities, once per activity execution: the row's id is derived from
 * the workflow run and the activity id, so an activity that is retried after its transaction
 * committed (a worker killed before it reported back) writes no second row.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { Prisma } from '@prisma/client';

type AuditRow = Omit<Prisma.AuditLogCreateManyInput, 'id'>;

function executionKey(): string | null {
  try {
    const { workflowExecution, activityId } = Context.current().info;
    if (!workflowExecution) return null;
    return `${workflowExecution.workflowId}\u0000${workflowExecution.runId}\u0000${activityId}`;
  } catch {
    return null; // called outside an activity (a script): nothing is retried
  }
}

/** A UUID (RFC 9562 version 8) from the activity execution, or a random one outside an activity. */
export function activityAuditId(): string {
  const key = executionKey();
  if (key === null) return randomUUID();
  const b = createHash('sha256').update(key).digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x80;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The audit row of this activity execution, written at most once (as part of the caller's transaction). */
export function auditOnce(db: Pick<Prisma.TransactionClient, 'auditLog'>, row: AuditRow) {
  return db.auditLog.createMany({ data: [{ id: activityAuditId(), ...row }], skipDuplicates: true });
}
