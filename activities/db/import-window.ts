/** The import window's state in the database (what the portal shows), with audited operator actions. */
import type { PrismaClient } from '@prisma/client';
import { auditOnce } from '../audit';
import type { Clock } from '../../lib/adapters/clock';

export function createImportWindowActivities(deps: { clock: Clock; prisma: PrismaClient }) {
  const { prisma } = deps;
  return {
    async openImportWindow(req: { windowId: string; openedAt: string; closesAt: string }): Promise<void> {
      await prisma.importWindow.updateMany({
        where: { id: req.windowId, status: 'REQUESTED' },
        data: { status: 'OPEN', openedAt: deps.clock.fromSystemTime(req.openedAt), closesAt: deps.clock.fromSystemTime(req.closesAt) },
      });
    },
    /** Rejected by the reviewer, or (withdrawn) cancelled by an operator before the decision. */
    async rejectImportWindow(req: { windowId: string; reason: string; withdrawn?: boolean }): Promise<void> {
      await prisma.importWindow.updateMany({
        where: { id: req.windowId, status: 'REQUESTED' },
        data: req.withdrawn
          ? { status: 'CLOSED', closedAt: deps.clock.now(), closedNote: req.reason }
          : { status: 'REJECTED', closedAt: deps.clock.now(), closedNote: `审核未通过：${req.reason}` },
      });
    },
    async extendImportWindow(req: { windowId: string; closesAt: string; days: number; operatorId: string; reason: string }): Promise<void> {
      await prisma.$transaction([
        prisma.importWindow.update({ where: { id: req.windowId }, data: { closesAt: deps.clock.fromSystemTime(req.closesAt) } }),
        auditOnce(prisma, {
          actorId: req.operatorId,
          actorRole: 'OPERATOR',
          action: 'import-window.extend',
          target: `import-window:${req.windowId}`,
          detail: { days: req.days, closesAt: req.closesAt, reason: req.reason },
        }),
      ]);
    },
    async auditImportWindow(req: { windowId: string; operatorId: string; action: string; reason: string }): Promise<void> {
      await auditOnce(prisma, {
        actorId: req.operatorId,
        actorRole: 'OPERATOR',
        action: req.action,
        target: `import-window:${req.windowId}`,
        detail: { reason: req.reason },
      });
    },
    async closeImportWindow(req: { windowId: string; note: string }): Promise<void> {
      await prisma.$transaction(async (tx) => {
        const { count } = await tx.importWindow.updateMany({
          where: { id: req.windowId, status: 'OPEN' },
          data: { status: 'CLOSED', closedAt: deps.clock.now(), closedNote: req.note },
        });
        if (count === 0) return; // a retry after the close was recorded
        await auditOnce(tx, { actorRole: 'SYSTEM', action: 'import-window.closed', target: `import-window:${req.windowId}`, detail: { note: req.note } });
      });
    },
  };
}
