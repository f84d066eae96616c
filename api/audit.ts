/** What a signed-in user (or a signed request, acting as its application) did, as an audit row (written by the caller, in its own transaction). */
import type { Prisma } from '@prisma/client';
import type { Actor } from './context';

export function auditOf(actor: Actor, action: string, target: string, detail?: Prisma.InputJsonValue): Prisma.AuditLogCreateArgs {
  const via = actor.via ? { via: actor.via.channel, ...(actor.via.serviceProviderId ? { serviceProviderId: actor.via.serviceProviderId } : {}) } : undefined;
  const merged = via
    ? detail && typeof detail === 'object' && !Array.isArray(detail)
      ? { ...(detail as Prisma.InputJsonObject), ...via }
      : { ...via, ...(detail !== undefined ? { detail } : {}) }
    : detail;
  return { data: { actorId: actor.userId, actorRole: actor.role, action, target, ...(merged !== undefined ? { detail: merged } : {}) } };
}
