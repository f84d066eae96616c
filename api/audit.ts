/** What a signed-in user did, as an audit row (written by the caller, in its own transaction). */
import type { Prisma } from '@prisma/client';
import type { Actor } from './context';

export function auditOf(actor: Actor, action: string, target: string, detail?: Prisma.InputJsonValue): Prisma.AuditLogCreateArgs {
  return { data: { actorId: actor.userId, actorRole: actor.role, action, target, ...(detail !== undefined ? { detail } : {}) } };
}
