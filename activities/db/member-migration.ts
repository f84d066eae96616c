/** Member migration state in the database, and the operator's configuration step. */
import { auditOnce } from '../audit';
import type { Clock } from '../../lib/adapters/clock';
import type { MigrationStatus, PrismaClient } from '@prisma/client';
import { BusinessError } from '../../domain/errors';

export function createMigrationActivities(deps: { clock: Clock; prisma: PrismaClient }) {
  const { prisma } = deps;
  return {
    async setMigrationStatus(req: { migrationId: string; status: MigrationStatus; reason?: string; cancelled?: boolean }): Promise<void> {
      const why = req.cancelled ? `运营人员取消：${req.reason}` : `迁移申请审核未通过：${req.reason}`;
      await prisma.migration.update({
        where: { id: req.migrationId },
        data: { status: req.status, ...(req.reason ? { rejectedReason: why } : {}) },
      });
    },

    /** 运营确认配置: the application exists and the role of migrated members is created. */
    async configureMigration(req: { migrationId: string; operatorId: string }): Promise<void> {
      await prisma.$transaction(async (tx) => {
        const m = await tx.migration.findUniqueOrThrow({ where: { id: req.migrationId } });
        if (m.status === 'AWAITING_FILE') return;
        if (m.status !== 'AWAITING_CONFIGURATION') throw new BusinessError('migration.wrong_state');
        const app = await tx.application.findUnique({ where: { id: m.applicationId } });
        if (!app) throw new BusinessError('application.not_found');
        await tx.memberRole.upsert({
          where: { applicationId_name: { applicationId: m.applicationId, name: m.roleName } },
          update: {},
          create: { applicationId: m.applicationId, name: m.roleName },
        });
        await tx.migration.update({
          where: { id: m.id },
          data: { status: 'AWAITING_FILE', configuredAt: deps.clock.now(), configuredById: req.operatorId },
        });
        await auditOnce(tx, {
          actorId: req.operatorId,
          actorRole: 'OPERATOR',
          action: 'migration.configure',
          target: `migration:${m.id}`,
          detail: { role: m.roleName },
        });
      });
    },
  };
}
