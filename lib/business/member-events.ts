/**
 * The member event stream (outbox): every member state change is written here
 * in the same transaction as the change, and delivered to the application's
 * webhook in id order by its delivery workflow (workflows/member-event-delivery).
 */
import type { Prisma } from '@prisma/client';
import type { MemberEventType } from '../../domain/member-events';

type Tx = Prisma.TransactionClient;

/** One event for one member; the member's application and number are read in the same statement. */
export async function recordMemberEvent(tx: Tx, memberId: string, type: MemberEventType, data: Record<string, unknown> = {}): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "MemberEvent" ("applicationId", "memberId", "bizUserId", type, data)
    SELECT m."applicationId", m.id, m."bizUserId", ${type}, ${JSON.stringify(data)}::jsonb FROM "Member" m WHERE m.id = ${memberId}::uuid`;
}

/** The same event for many members at once (a chunk of an import). */
export async function recordMemberEvents(tx: Tx, memberIds: string[], type: MemberEventType, data: Record<string, unknown> = {}): Promise<void> {
  if (memberIds.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "MemberEvent" ("applicationId", "memberId", "bizUserId", type, data)
    SELECT m."applicationId", m.id, m."bizUserId", ${type}, ${JSON.stringify(data)}::jsonb
    FROM "Member" m WHERE m.id = ANY(${memberIds}::uuid[]) ORDER BY m."bizUserId"`;
}
