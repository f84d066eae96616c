/**
 * The member event stream (outbox): every member state change is written here
 * in the same transaction as the change, and delivered to the application's
 * webhook in id order by its delivery workflow (workflows/member-event-delivery).
 */
import type { Prisma } from '@prisma/client';

export const MEMBER_EVENT_TYPES = ['CREATED', 'STAGE_CHANGED', 'VERIFIED', 'SIGNED', 'EXPIRED', 'IMPORTED', 'MIGRATED'] as const;
export type MemberEventType = (typeof MEMBER_EVENT_TYPES)[number];

export const MEMBER_EVENT_LABELS: Record<MemberEventType, string> = {
  CREATED: '会员创建',
  STAGE_CHANGED: '开户环节变更',
  VERIFIED: '实名认证通过',
  SIGNED: '协议签约',
  EXPIRED: '开户链接过期',
  IMPORTED: '批量导入',
  MIGRATED: '会员迁移',
};

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
