/**
 * Opening accounts (seed 000 §1.5, §1.7): a member's accounts under the agreement each belongs to,
 * and the application's system accounts. Every opening is idempotent — a retried step opens nothing
 * twice (one account per application, member and kind; one system account per application and
 * kind) — and runs inside the caller's transaction, beside the agreement it belongs to.
 * Account numbers: 应用编号 + the kind's two digits + 10 digits of a database sequence.
 */
import { Prisma } from '@prisma/client';
import { AGREEMENTS } from '../../domain/agreement';
import {
  ACCOUNT_KIND_CODES,
  type FundMode,
  type MemberAccountKind,
  SYSTEM_ACCOUNT_KINDS,
  type SystemAccountKind,
  agreementsAtSignUp,
} from '../../domain/ledger';
import type { Sql } from '../adapters/db';
import { agreementHash } from './document-hashes';

interface Statement {
  text: string;
  values: unknown[];
}

const ACCOUNT_NO = `a."appNo" || k.code || lpad(nextval('account_no_seq')::text, 10, '0')`;

function memberAccounts(r: { applicationId: string; memberId: string; kinds: readonly MemberAccountKind[]; agreementId: string | null }): Statement {
  return {
    text: `INSERT INTO "Account" (id, "applicationId", "memberId", kind, "accountNo", "agreementId")
           SELECT gen_random_uuid(), a.id, $2::uuid, k.kind, ${ACCOUNT_NO}, $5::uuid
             FROM "Application" a CROSS JOIN unnest($3::text[], $4::text[]) AS k(kind, code)
            WHERE a.id = $1::uuid
           ON CONFLICT ("applicationId", "memberId", kind) DO NOTHING`,
    values: [r.applicationId, r.memberId, r.kinds, r.kinds.map((k) => ACCOUNT_KIND_CODES[k]), r.agreementId],
  };
}

function systemAccounts(applicationId: string, kinds: readonly SystemAccountKind[]): Statement {
  return {
    text: `INSERT INTO "Account" (id, "applicationId", "memberId", kind, "accountNo")
           SELECT gen_random_uuid(), a.id, NULL, k.kind, ${ACCOUNT_NO}
             FROM "Application" a CROSS JOIN unnest($2::text[], $3::text[]) AS k(kind, code)
            WHERE a.id = $1::uuid
           ON CONFLICT ("applicationId", kind) WHERE "memberId" IS NULL DO NOTHING`,
    values: [applicationId, kinds, kinds.map((k) => ACCOUNT_KIND_CODES[k])],
  };
}

/** Where a statement runs: plain SQL (a pool or a transaction's client), or a Prisma transaction. */
export type AccountWriter = Sql | Prisma.TransactionClient;

async function run(db: AccountWriter, s: Statement): Promise<void> {
  if ('query' in db) await db.query(s.text, s.values);
  else await db.$executeRawUnsafe(s.text, ...s.values);
}

/** Opens the member's accounts of these kinds under the agreement (those it has are left as they are). */
export async function openMemberAccounts(
  db: AccountWriter,
  r: { applicationId: string; memberId: string; kinds: readonly MemberAccountKind[]; agreementId: string | null },
): Promise<void> {
  if (r.kinds.length > 0) await run(db, memberAccounts(r));
}

/** The application's clearing, guarantee, commission and fee accounts: opened with it, and safe to call again. */
export async function openSystemAccounts(db: AccountWriter, applicationId: string): Promise<void> {
  await run(db, systemAccounts(applicationId, SYSTEM_ACCOUNT_KINDS));
}

/** A member that signed up on paper (batch import, migration): who signed, with the phone on file. */
export interface PaperSignUp {
  memberId: string;
  signerNameEnc: string | null;
  phoneMasked: string;
}

/**
 * Members created by a batch import or a migration sign nothing online: each gets offline (PAPER)
 * records of the agreements sign-up needs (domain/ledger.ts agreementsAtSignUp), and the accounts
 * each opens under it — one statement per agreement for a whole chunk of members. Runs in the
 * transaction that created the members, so a re-run chunk (which creates none) records none.
 */
export async function signUpOnPaper(
  tx: Prisma.TransactionClient,
  r: { applicationId: string; fundMode: FundMode; members: PaperSignUp[]; signedAt: Date },
): Promise<void> {
  if (r.members.length === 0) return;
  for (const { kind, opens } of agreementsAtSignUp(r.fundMode)) {
    const t = AGREEMENTS[kind];
    await tx.$executeRaw`
      WITH signed AS (
        INSERT INTO "Agreement" (id, "memberId", "applicationId", kind, category, title, version, "documentHash", "signMethod", online,
                                 "signerNameEnc", "signedPhoneMasked", "signedAt")
        SELECT gen_random_uuid(), v.member, ${r.applicationId}::uuid, ${t.kind}, ${t.category}, ${t.title}, ${t.version}, ${agreementHash(t.text)},
               'PAPER', false, v.signer, v.phone, ${r.signedAt}::timestamp
          FROM unnest(${r.members.map((m) => m.memberId)}::uuid[], ${r.members.map((m) => m.signerNameEnc)}::text[],
                      ${r.members.map((m) => m.phoneMasked)}::text[]) AS v(member, signer, phone)
        RETURNING id, "memberId")
      INSERT INTO "Account" (id, "applicationId", "memberId", kind, "accountNo", "agreementId")
      SELECT gen_random_uuid(), a.id, s."memberId", k.kind, ${Prisma.raw(ACCOUNT_NO)}, s.id
        FROM signed s CROSS JOIN unnest(${opens}::text[], ${opens.map((k) => ACCOUNT_KIND_CODES[k])}::text[]) AS k(kind, code)
        JOIN "Application" a ON a.id = ${r.applicationId}::uuid
      ON CONFLICT ("applicationId", "memberId", kind) DO NOTHING`;
  }
}
