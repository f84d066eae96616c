/**
 * Execution of batch imports and migrations: the stored rows of a task, a
 * chunk at a time. Each chunk runs in one transaction that creates the members
 * or cards and writes the rows' results together, and only rows without a
 * result are taken: re-running a chunk after a crash creates nothing twice.
 */
import { Context } from '@temporalio/activity';
import type { Prisma, PrismaClient } from '@prisma/client';
import { maskCardNumber, maskIdNumber, maskPhone } from '../../domain/masking';
import { type ImportKind, type MemberRow, rowValues } from '../../domain/member-file';
import type { FieldCrypto } from '../../lib/field-crypto';
import type { BankCardVerifier } from '../../lib/verification';

interface RowResult {
  rowNo: number;
  code: string;
  message: string;
  memberId: string | null;
}

function heartbeat(): void {
  try {
    Context.current().heartbeat();
  } catch {
    // outside an activity (scripts)
  }
}

export function createMemberImportActivities(deps: { prisma: PrismaClient; crypto: FieldCrypto; verifier: BankCardVerifier }) {
  const { prisma, crypto, verifier } = deps;

  const cardData = (memberId: string, v: MemberRow, verifiedAt: Date) => ({
    memberId,
    cardNumberEnc: crypto.encrypt(v.cardNumber),
    cardNumberMasked: maskCardNumber(v.cardNumber),
    cardDigest: crypto.digest('card', v.cardNumber),
    holderNameEnc: crypto.encrypt(v.name),
    reservedPhoneEnc: crypto.encrypt(v.phone),
    reservedPhoneMasked: maskPhone(v.phone),
    verifiedAt,
  });

  /** Writes results of rows still without one and moves the task's counters by what changed. */
  async function recordResults(tx: Prisma.TransactionClient, taskId: string, results: RowResult[]) {
    if (results.length === 0) return;
    const changed = await tx.$queryRaw<{ resultCode: string }[]>`
      UPDATE "ImportRow" AS r SET "resultCode" = v.code, "resultMessage" = v.message, "memberId" = v.member::uuid
      FROM unnest(${results.map((r) => r.rowNo)}::int[], ${results.map((r) => r.code)}::text[],
                  ${results.map((r) => r.message)}::text[], ${results.map((r) => r.memberId)}::text[]) AS v(row_no, code, message, member)
      WHERE r."taskId" = ${taskId}::uuid AND r."rowNo" = v.row_no AND r."resultCode" IS NULL
      RETURNING r."resultCode"`;
    const succeeded = changed.filter((c) => c.resultCode === 'SUCCESS').length;
    await tx.importTask.update({
      where: { id: taskId },
      data: { processed: { increment: changed.length }, succeeded: { increment: succeeded }, failed: { increment: changed.length - succeeded } },
    });
  }

  return {
    async startImportExecution(req: { taskId: string }): Promise<void> {
      const task = await prisma.importTask.findUniqueOrThrow({ where: { id: req.taskId } });
      await prisma.$transaction([
        prisma.importTask.updateMany({ where: { id: task.id, status: 'IN_REVIEW' }, data: { status: 'EXECUTING' } }),
        prisma.migration.updateMany({ where: { id: task.migrationId ?? undefined, status: 'FILE_IN_REVIEW' }, data: { status: 'EXECUTING' } }),
      ]);
    },

    async rejectImportTask(req: { taskId: string; reason: string }): Promise<void> {
      const task = await prisma.importTask.findUniqueOrThrow({ where: { id: req.taskId } });
      await prisma.$transaction([
        prisma.importTask.updateMany({ where: { id: task.id, status: 'IN_REVIEW' }, data: { status: 'REJECTED', finishedAt: new Date() } }),
        prisma.migration.updateMany({
          where: { id: task.migrationId ?? undefined, status: 'FILE_IN_REVIEW' },
          data: { status: 'REJECTED', rejectedReason: `迁移文件审核未通过：${req.reason}` },
        }),
      ]);
    },

    async completeImportTask(req: { taskId: string }): Promise<void> {
      const task = await prisma.importTask.findUniqueOrThrow({ where: { id: req.taskId } });
      await prisma.$transaction([
        prisma.importTask.updateMany({ where: { id: task.id, status: 'EXECUTING' }, data: { status: 'COMPLETED', finishedAt: new Date() } }),
        prisma.migration.updateMany({ where: { id: task.migrationId ?? undefined, status: 'EXECUTING' }, data: { status: 'COMPLETED' } }),
      ]);
    },

    /** Executes rows fromRow…toRow (inclusive) that have no result yet. */
    async executeImportChunk(req: { taskId: string; fromRow: number; toRow: number }): Promise<number> {
      heartbeat();
      const task = await prisma.importTask.findUniqueOrThrow({ where: { id: req.taskId } });
      const rows = await prisma.importRow.findMany({
        where: { taskId: task.id, rowNo: { gte: req.fromRow, lte: req.toRow }, resultCode: null },
        orderBy: { rowNo: 'asc' },
      });
      if (rows.length === 0) return 0;
      const kind = task.kind as ImportKind;
      const roleId = task.migrationId
        ? ((
            await prisma.migration.findUnique({ where: { id: task.migrationId } }).then((m) =>
              m ? prisma.memberRole.findUnique({ where: { applicationId_name: { applicationId: task.applicationId, name: m.roleName } } }) : null,
            )
          )?.id ?? null)
        : null;

      const results: RowResult[] = [];
      const valid: { rowNo: number; v: MemberRow }[] = [];
      for (const r of rows) {
        if (r.problems.length > 0) results.push({ rowNo: r.rowNo, code: 'INVALID', message: r.problems.join('；'), memberId: null });
        else valid.push({ rowNo: r.rowNo, v: rowValues(kind, JSON.parse(crypto.decrypt(r.valuesEnc)) as string[]) });
      }

      // Four-element verification of every card (an outside call) before the transaction.
      const verified = new Set<number>();
      for (const { rowNo, v } of valid) {
        if (!v.cardNumber) continue;
        const verdict = await verifier.verifyFourElements({ name: v.name, idNumber: v.idNumber, cardNumber: v.cardNumber, phone: v.phone });
        if (verdict.ok) verified.add(rowNo);
        else results.push({ rowNo, code: 'VERIFICATION_FAILED', message: `银行卡四要素认证未通过：${verdict.reason}`, memberId: null });
      }
      const failedRows = new Set(results.map((r) => r.rowNo));
      const todo = valid.filter((x) => !failedRows.has(x.rowNo));
      heartbeat();
      const now = new Date();

      await prisma.$transaction(
        async (tx) => {
          if (kind === 'BANK_CARD') {
            const members = await tx.member.findMany({
              where: { applicationId: task.applicationId, bizUserId: { in: todo.map((t) => t.v.bizUserId) } },
              select: { id: true, bizUserId: true },
            });
            const byBiz = new Map(members.map((m) => [m.bizUserId, m.id]));
            const cards = [];
            for (const { rowNo, v } of todo) {
              const memberId = byBiz.get(v.bizUserId);
              if (!memberId) results.push({ rowNo, code: 'MEMBER_NOT_FOUND', message: '会员编号不存在', memberId: null });
              else {
                cards.push(cardData(memberId, v, now));
                results.push({ rowNo, code: 'SUCCESS', message: '绑卡成功', memberId });
              }
            }
            await tx.bankCard.createMany({ data: cards, skipDuplicates: true });
          } else {
            const created = await tx.member.createManyAndReturn({
              data: todo.map(({ rowNo, v }) => {
                const phone = { boundPhoneEnc: crypto.encrypt(v.phone), boundPhoneMasked: maskPhone(v.phone), boundPhoneDigest: crypto.digest('phone', v.phone) };
                return {
                  applicationId: task.applicationId,
                  bizUserId: v.bizUserId,
                  type: kind === 'ENTERPRISE' ? ('ENTERPRISE' as const) : ('INDIVIDUAL' as const),
                  status: 'NORMAL' as const,
                  displayName: kind === 'ENTERPRISE' ? v.companyName : v.name,
                  personNameEnc: crypto.encrypt(v.name),
                  idNumberEnc: crypto.encrypt(v.idNumber),
                  idNumberMasked: maskIdNumber(v.idNumber),
                  ...(kind === 'ENTERPRISE'
                    ? {
                        companyName: v.companyName,
                        creditCode: v.creditCode,
                        address: v.address || null,
                        businessScope: v.businessScope || null,
                        legalPhoneEnc: phone.boundPhoneEnc,
                        legalPhoneMasked: phone.boundPhoneMasked,
                      }
                    : {}),
                  ...phone,
                  realNameVerifiedAt: verified.has(rowNo) ? now : null,
                  importTaskId: task.id,
                  roleId,
                };
              }),
              skipDuplicates: true,
              select: { id: true, bizUserId: true },
            });
            const byBiz = new Map(created.map((m) => [m.bizUserId, m.id]));
            const cards = [];
            for (const { rowNo, v } of todo) {
              const memberId = byBiz.get(v.bizUserId);
              if (!memberId) {
                results.push({ rowNo, code: 'DUPLICATE', message: '会员编号已存在', memberId: null });
                continue;
              }
              if (verified.has(rowNo)) cards.push(cardData(memberId, v, now));
              results.push({ rowNo, code: 'SUCCESS', message: verified.has(rowNo) ? '开户成功，银行卡已绑定' : '开户成功', memberId });
            }
            await tx.bankCard.createMany({ data: cards, skipDuplicates: true });
          }
          await recordResults(tx, task.id, results);
        },
        { timeout: 120_000 },
      );
      return rows.length;
    },
  };
}
