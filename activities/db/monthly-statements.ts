/** Statement enablement state and the monthly statement's publication. */
import { auditOnce } from '../audit';
import type { Clock } from '../../lib/adapters/clock';
import { Context } from '@temporalio/activity';
import type { PrismaClient, StatementEnablementStatus } from '@prisma/client';
import { publishStatement } from '../../lib/formats/statements';

export function createStatementActivities(deps: { clock: Clock; prisma: PrismaClient }) {
  const { prisma } = deps;
  return {
    async setEnablementStatus(req: { enablementId: string; status: StatementEnablementStatus; reason?: string; operatorId?: string }): Promise<void> {
      await prisma.$transaction(async (tx) => {
        const e = await tx.statementEnablement.findUniqueOrThrow({ where: { id: req.enablementId } });
        if (e.status === req.status) return;
        await tx.statementEnablement.update({
          where: { id: e.id },
          data: {
            status: req.status,
            ...(req.reason ? { rejectedReason: `审核未通过：${req.reason}` } : {}),
            ...(req.status === 'ENABLED' ? { configuredAt: deps.clock.now() } : {}),
          },
        });
        if (req.operatorId) {
          await auditOnce(tx, {
            actorId: req.operatorId,
            actorRole: 'OPERATOR',
            action: 'statement.enablement.configure',
            target: `statement-enablement:${e.id}`,
          });
        }
      });
    },

    /** Generates (publishes) a month's statement; re-running it changes nothing unless the rows changed. */
    async publishMonthlyStatement(req: { applicationId: string; month: string }): Promise<number> {
      const heartbeat = setInterval(() => {
        try {
          Context.current().heartbeat();
        } catch {
          // outside an activity
        }
      }, 10_000);
      try {
        return (await publishStatement(prisma, req.applicationId, { kind: 'MONTH', key: req.month })).version;
      } finally {
        clearInterval(heartbeat);
      }
    },
  };
}
