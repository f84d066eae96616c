/**
 * Execution of batch imports and migrations: the stored rows of a task, a
 * chunk at a time. Each chunk runs in one transaction that creates the members
 * or cards and writes the rows' results together, and only rows without a
 * result are taken: re-running a chunk after a crash creates nothing twice.
 */
import type { Clock } from '../../lib/adapters/clock';
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { Prisma, PrismaClient } from '@prisma/client';
import { maskIdNumber, maskPersonName, maskPhone } from '../../domain/masking';
import { normalisePersonName } from '../../domain/identity';
import { type ImportKind, type MemberRow, rowValues } from '../../domain/member-file';
import { recordMemberEvents } from '../../lib/business/member-events';
import type { FieldCrypto } from '../../lib/adapters/field-crypto';
import type { BankCardVerifier, EnterpriseVerifier } from '../../lib/adapters/verification';
import { sealedBankCard } from '../../lib/business/bank-cards';
import { idNumberDigestOf, nameDigestOf } from '../../lib/business/person-names';
import { consentTextHash } from '../../lib/business/consents';
import { PERSONAL_INFORMATION_CONSENT } from '../../domain/personal-information';
import { signUpOnPaper } from '../../lib/business/accounts';

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

export function createMemberImportActivities(deps: {
  clock: Clock;
  prisma: PrismaClient;
  crypto: FieldCrypto;
  verifier: BankCardVerifier;
  enterpriseVerifier: EnterpriseVerifier;
}) {
  const { prisma, crypto, verifier, enterpriseVerifier } = deps;

  const cardData = (memberId: string, v: MemberRow, verifiedAt: Date) => ({
    memberId,
    ...sealedBankCard(crypto, { cardNumber: v.cardNumber, holderName: v.name, reservedPhone: v.phone }, verifiedAt),
  });

  /**
   * New members in one statement (a chunk is up to 1,000 rows; Prisma's
   * createMany spends more time compiling such a query than Postgres running
   * it). Existing member numbers are skipped: the caller reports them.
   */
  async function insertMembers(
    tx: Prisma.TransactionClient,
    rows: { bizUserId: string; displayName: string; v: MemberRow; verified: boolean }[],
    ctx: { applicationId: string; type: 'INDIVIDUAL' | 'ENTERPRISE'; taskId: string; roleId: string | null; now: Date },
  ): Promise<{ id: string; bizUserId: string }[]> {
    if (rows.length === 0) return [];
    const col = <T>(f: (r: (typeof rows)[number]) => T) => rows.map(f);
    const enterprise = ctx.type === 'ENTERPRISE';
    const phones = col((r) => crypto.encrypt(r.v.phone));
    return tx.$queryRaw<{ id: string; bizUserId: string }[]>`
      INSERT INTO "Member" (id, "applicationId", "bizUserId", type, status, "displayName", "personNameEnc", "nameDigest", "idNumberEnc", "idNumberMasked", "idNumberDigest",
        "companyName", "creditCode", address, "businessScope", "legalPhoneEnc", "legalPhoneMasked",
        "boundPhoneEnc", "boundPhoneMasked", "boundPhoneDigest", "realNameVerifiedAt", "importTaskId", "roleId", "updatedAt")
      SELECT v.id::uuid, ${ctx.applicationId}::uuid, v.biz, ${ctx.type}::"MemberType", 'NORMAL'::"MemberStatus", v.display, v.name_enc, v.name_digest, v.id_enc, v.id_masked, v.id_digest,
        v.company, v.credit, v.address, v.scope, CASE WHEN ${enterprise} THEN v.phone_enc END, CASE WHEN ${enterprise} THEN v.phone_masked END,
        v.phone_enc, v.phone_masked, v.phone_digest, CASE WHEN v.verified THEN ${ctx.now}::timestamp END, ${ctx.taskId}::uuid, ${ctx.roleId}::uuid, ${ctx.now}::timestamp
      FROM unnest(${col(() => randomUUID())}::text[], ${col((r) => r.bizUserId)}::text[], ${col((r) => r.displayName)}::text[],
                  ${col((r) => crypto.encrypt(r.v.name))}::text[], ${col((r) => (enterprise ? null : nameDigestOf(crypto, r.v.name)))}::text[],
                  ${col((r) => crypto.encrypt(r.v.idNumber))}::text[], ${col((r) => maskIdNumber(r.v.idNumber))}::text[],
                  ${col((r) => idNumberDigestOf(crypto, r.v.idNumber))}::text[],
                  ${col((r) => r.v.companyName || null)}::text[], ${col((r) => r.v.creditCode || null)}::text[], ${col((r) => r.v.address || null)}::text[],
                  ${col((r) => r.v.businessScope || null)}::text[], ${phones}::text[], ${col((r) => maskPhone(r.v.phone))}::text[],
                  ${col((r) => crypto.digest('phone', r.v.phone))}::text[], ${col((r) => r.verified)}::boolean[])
        AS v(id, biz, display, name_enc, name_digest, id_enc, id_masked, id_digest, company, credit, address, scope, phone_enc, phone_masked, phone_digest, verified)
      ON CONFLICT ("applicationId", "bizUserId") DO NOTHING
      RETURNING id, "bizUserId"`;
  }

  /**
   * PIPL: each member the file created carries the consent its platform attested when it submitted
   * the file (tasks submitted before attestations existed have none), in the members' own transaction.
   */
  async function attestConsents(tx: Prisma.TransactionClient, taskId: string, memberIds: string[]) {
    if (memberIds.length === 0) return;
    await tx.$executeRaw`
      INSERT INTO "PersonalInfoConsent" (id, "memberId", "applicationId", "importTaskId", source, version, "textHash", "attestedById", "givenAt")
      SELECT gen_random_uuid(), m.id, m."applicationId", t.id, 'PLATFORM_ATTESTED', ${PERSONAL_INFORMATION_CONSENT.version}, ${consentTextHash()},
             t."consentAttestedById", t."consentAttestedAt"
        FROM "Member" m JOIN "ImportTask" t ON t.id = ${taskId}::uuid
       WHERE m.id = ANY(${memberIds}::uuid[]) AND t."consentAttestedAt" IS NOT NULL
      ON CONFLICT ("importTaskId", "memberId") DO NOTHING`;
  }

  /** Bank cards in one statement; a card already bound to the member is skipped. */
  async function insertCards(tx: Prisma.TransactionClient, cards: ReturnType<typeof cardData>[]) {
    if (cards.length === 0) return;
    const col = <T>(f: (c: (typeof cards)[number]) => T) => cards.map(f);
    await tx.$executeRaw`
      INSERT INTO "BankCard" (id, "memberId", "cardNumberEnc", "cardNumberMasked", "cardDigest", "holderNameEnc", "reservedPhoneEnc", "reservedPhoneMasked", "verifiedAt")
      SELECT v.id::uuid, v.member::uuid, v.enc, v.masked, v.digest, v.holder, v.phone, v.phone_masked, v.at
      FROM unnest(${col(() => randomUUID())}::text[], ${col((c) => c.memberId)}::text[], ${col((c) => c.cardNumberEnc)}::text[], ${col((c) => c.cardNumberMasked)}::text[],
                  ${col((c) => c.cardDigest)}::text[], ${col((c) => c.holderNameEnc)}::text[], ${col((c) => c.reservedPhoneEnc)}::text[],
                  ${col((c) => c.reservedPhoneMasked)}::text[], ${col((c) => c.verifiedAt)}::timestamp[])
        AS v(id, member, enc, masked, digest, holder, phone, phone_masked, at)
      ON CONFLICT ("memberId", "cardDigest") DO NOTHING`;
  }

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
        prisma.importTask.updateMany({ where: { id: task.id, status: 'IN_REVIEW' }, data: { status: 'REJECTED', finishedAt: deps.clock.now() } }),
        prisma.migration.updateMany({
          where: { id: task.migrationId ?? undefined, status: 'FILE_IN_REVIEW' },
          data: { status: 'REJECTED', rejectedReason: `迁移文件审核未通过：${req.reason}` },
        }),
      ]);
    },

    async completeImportTask(req: { taskId: string }): Promise<void> {
      const task = await prisma.importTask.findUniqueOrThrow({ where: { id: req.taskId } });
      await prisma.$transaction([
        prisma.importTask.updateMany({ where: { id: task.id, status: 'EXECUTING' }, data: { status: 'COMPLETED', finishedAt: deps.clock.now() } }),
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
      const application = await prisma.application.findUniqueOrThrow({ where: { id: task.applicationId }, select: { fundMode: true } });
      const roleId = task.migrationId
        ? ((
            await prisma.migration
              .findUnique({ where: { id: task.migrationId } })
              .then((m) =>
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

      // 银行卡绑定: the card's holder must be the member (an individual itself, an enterprise its legal
      // representative) — checked before the vendor is asked (and paid) about a card that cannot be bound.
      if (kind === 'BANK_CARD') {
        const holders = await prisma.member.findMany({
          where: { applicationId: task.applicationId, bizUserId: { in: valid.map((x) => x.v.bizUserId) } },
          select: { bizUserId: true, personNameEnc: true, idNumberEnc: true },
        });
        const byBiz = new Map(holders.map((m) => [m.bizUserId, m]));
        for (const { rowNo, v } of valid) {
          const m = byBiz.get(v.bizUserId);
          if (!m) results.push({ rowNo, code: 'MEMBER_NOT_FOUND', message: '会员编号不存在', memberId: null });
          else if (!m.personNameEnc || !m.idNumberEnc)
            results.push({ rowNo, code: 'HOLDER_MISMATCH', message: '会员尚未完成实名，不能绑定银行卡', memberId: null });
          else if (
            normalisePersonName(crypto.decrypt(m.personNameEnc)) !== normalisePersonName(v.name) ||
            crypto.decrypt(m.idNumberEnc).toUpperCase() !== v.idNumber.toUpperCase()
          )
            results.push({ rowNo, code: 'HOLDER_MISMATCH', message: '持卡人须为会员本人（企业会员为法定代表人）：姓名或证件号不一致', memberId: null });
        }
      }
      const settled = new Set(results.map((r) => r.rowNo));

      // 企业四要素 of every enterprise (company, credit code, legal representative, the representative's
      // ID) and four elements of every card: outside calls, before the transaction. A company that does
      // not match is not opened; its card is not asked about.
      if (kind === 'ENTERPRISE')
        for (const { rowNo, v } of valid) {
          if (settled.has(rowNo)) continue;
          const verdict = await enterpriseVerifier.verifyEnterprise(
            {
              companyName: v.companyName,
              creditCode: v.creditCode,
              legalRepresentative: v.name,
              legalIdNumber: v.idNumber,
            },
            { scope: { applicationId: task.applicationId } },
          );
          if (!verdict.ok) {
            results.push({ rowNo, code: 'VERIFICATION_FAILED', message: `企业信息核验未通过：${verdict.reason}`, memberId: null });
            settled.add(rowNo);
          }
        }
      const verified = new Set<number>();
      for (const { rowNo, v } of valid) {
        if (!v.cardNumber || settled.has(rowNo)) continue;
        const verdict = await verifier.verifyFourElements(
          { name: v.name, idNumber: v.idNumber, cardNumber: v.cardNumber, phone: v.phone },
          { scope: { applicationId: task.applicationId } },
        );
        if (verdict.ok) verified.add(rowNo);
        else results.push({ rowNo, code: 'VERIFICATION_FAILED', message: `银行卡四要素认证未通过：${verdict.reason}`, memberId: null });
      }
      const failedRows = new Set(results.map((r) => r.rowNo));
      const todo = valid.filter((x) => !failedRows.has(x.rowNo));
      heartbeat();
      const now = deps.clock.now();

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
            await insertCards(tx, cards);
          } else {
            const created = await insertMembers(
              tx,
              todo.map(({ rowNo, v }) => ({
                bizUserId: v.bizUserId,
                displayName: kind === 'ENTERPRISE' ? v.companyName : maskPersonName(v.name),
                v,
                // 实名: an enterprise by its four elements (every row still here passed), a person by the card.
                verified: kind === 'ENTERPRISE' || verified.has(rowNo),
              })),
              { applicationId: task.applicationId, type: kind === 'ENTERPRISE' ? 'ENTERPRISE' : 'INDIVIDUAL', taskId: task.id, roleId, now },
            );
            await attestConsents(
              tx,
              task.id,
              created.map((m) => m.id),
            );
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
            await insertCards(tx, cards);
            // Imported and migrated members signed on paper: offline agreements, and the accounts they open.
            const rowOf = new Map(todo.map(({ v }) => [v.bizUserId, v]));
            await signUpOnPaper(tx, {
              applicationId: task.applicationId,
              fundMode: application.fundMode,
              signedAt: now,
              members: created.map((m) => {
                const v = rowOf.get(m.bizUserId)!;
                return { memberId: m.id, signerNameEnc: crypto.encrypt(v.name), phoneMasked: maskPhone(v.phone) };
              }),
            });
            await recordMemberEvents(
              tx,
              created.map((m) => m.id),
              task.purpose === 'MIGRATION' ? 'MIGRATED' : 'IMPORTED',
              { taskId: task.id },
            );
          }
          await recordResults(tx, task.id, results);
        },
        { timeout: 120_000 },
      );
      return rows.length;
    },
  };
}
