/**
 * Upgrading a database that holds data of the earlier schema to accounts opened by the flows
 * (migration 20261202000000): duplicate system accounts merge into one (movements and balance
 * kept), duplicate 商户订单号 stay as orders under a distinguishable number, members who signed the
 * 会员协议 get their accounts, every application its system accounts, and amounts take BigInt.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { MIGRATIONS_DIR, applyMigrations } from '../../lib/adapters/migrations';
import { testConfig } from '../support/harness';

const MIGRATION = '20261202000000_accounts_opened_by_flows';

describe('the accounts migration on a database of the earlier schema', () => {
  let url: string;
  let db: pg.Client;
  let before: string;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: testConfig().DATABASE_URL });
    await admin.connect();
    const name = `accounts_${randomUUID().slice(0, 8)}`;
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    url = testConfig().DATABASE_URL.replace(/\/[^/?]+(\?|$)/, `/${name}$1`);
    // The migrations up to the one before this one.
    before = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
    for (const m of fs.readdirSync(MIGRATIONS_DIR)) {
      if (m < MIGRATION && fs.existsSync(path.join(MIGRATIONS_DIR, m, 'migration.sql')))
        fs.cpSync(path.join(MIGRATIONS_DIR, m), path.join(before, m), { recursive: true });
    }
    await applyMigrations(url, before);
    db = new pg.Client({ connectionString: url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    fs.rmSync(before, { recursive: true, force: true });
  });

  it('merges, backfills and widens without losing a row', async () => {
    const q = async <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) => (await db.query<T>(text, values)).rows;
    const [provider] = await q<{ id: string }>(`INSERT INTO "ServiceProvider" (id, name) VALUES (gen_random_uuid(), '服务商') RETURNING id`);
    const app = async (appNo: string, fundMode: string) =>
      (
        await q<{ id: string }>(
          `INSERT INTO "Application" (id, "appNo", name, "fundMode", "contactEmail", "serviceProviderId") VALUES (gen_random_uuid(), $1, $1, $2::"FundMode", 'a@b.test', $3) RETURNING id`,
          [appNo, fundMode, provider!.id],
        )
      )[0]!.id;
    const post = await app('M1', 'POST_SETTLEMENT');
    const realtime = await app('M2', 'REALTIME_SETTLEMENT');
    const member = async (applicationId: string, biz: string) =>
      (
        await q<{ id: string }>(
          `INSERT INTO "Member" (id, "applicationId", "bizUserId", type, status, "displayName", "updatedAt") VALUES (gen_random_uuid(), $1, $2, 'INDIVIDUAL', 'NORMAL', '会员', now()) RETURNING id`,
          [applicationId, biz],
        )
      )[0]!.id;
    const signed = async (memberId: string, applicationId: string) =>
      (
        await q<{ id: string }>(
          `INSERT INTO "Agreement" (id, "memberId", "applicationId", kind, title, version, "documentHash", "signMethod", "signedPhoneMasked", "signedAt")
           VALUES (gen_random_uuid(), $1, $2, 'MEMBER_SERVICE', '云商通会员服务协议', '2026-01', 'h', 'SMS_CODE', '139****0000', now()) RETURNING id`,
          [memberId, applicationId],
        )
      )[0]!.id;
    const postMember = await member(post, 'P1');
    const postAgreement = await signed(postMember, post);
    const realtimeMember = await member(realtime, 'R1');
    await signed(realtimeMember, realtime);
    const unsigned = await member(post, 'P2');

    // Two clearing accounts of one application (the NULL member never conflicted), each with a movement.
    const account = async (kind: string, no: string, balance: number) =>
      (
        await q<{ id: string }>(
          `INSERT INTO "Account" (id, "applicationId", kind, "accountNo", "balanceFen", "createdAt") VALUES (gen_random_uuid(), $1, $2, $3, $4, now() + ($5 || ' seconds')::interval) RETURNING id`,
          [post, kind, no, balance, no.endsWith('2') ? '1' : '0'],
        )
      )[0]!.id;
    const first = await account('CLEARING', 'OLD-C1', -100);
    const second = await account('CLEARING', 'OLD-C2', -50);
    const order = async (orderNo: string, biz: string) =>
      (
        await q<{ id: string }>(
          `INSERT INTO "Order" (id, "applicationId", "orderNo", "bizOrderNo", type, status, "receiverMemberId", "amountFen", "createdAt")
           VALUES (gen_random_uuid(), $1, $2, $3, 'TOP_UP', 'SUCCESS', $4, 2000000000, now() + ($5 || ' seconds')::interval) RETURNING id`,
          [post, orderNo, biz, postMember, orderNo.endsWith('2') ? '1' : '0'],
        )
      )[0]!.id;
    const o1 = await order('YST1', 'BIZ-SAME');
    const o2 = await order('YST2', 'BIZ-SAME');
    for (const [acc, o, fen] of [
      [first, o1, -100],
      [second, o2, -50],
    ] as const) {
      await q(
        `INSERT INTO "Movement" (id, "accountId", "orderId", "amountFen", "balanceAfterFen", "bookedAt", "businessDay") VALUES (gen_random_uuid(), $1, $2, $3::int, $3::int, now(), '2026-12-01')`,
        [acc, o, fen],
      );
    }

    // This migration alone (later ones build on it and have their own tests).
    fs.cpSync(path.join(MIGRATIONS_DIR, MIGRATION), path.join(before, MIGRATION), { recursive: true });
    const result = await applyMigrations(url, before);
    expect(result.applied).toEqual([MIGRATION]);

    const clearing = await q<{ id: string; balanceFen: string }>(
      `SELECT id, "balanceFen"::text FROM "Account" WHERE "applicationId" = $1 AND kind = 'CLEARING'`,
      [post],
    );
    expect(clearing).toEqual([{ id: first, balanceFen: '-150' }]);
    expect(await q(`SELECT count(*)::int AS n FROM "Movement" WHERE "accountId" = $1`, [first])).toEqual([{ n: 2 }]);
    // Every application has exactly one system account of each kind.
    const system = await q<{ applicationId: string; kinds: string[] }>(
      `SELECT "applicationId", array_agg(kind ORDER BY kind) AS kinds FROM "Account" WHERE "memberId" IS NULL GROUP BY "applicationId" ORDER BY "applicationId"`,
    );
    for (const s of system) expect(s.kinds).toEqual(['CLEARING', 'COMMISSION', 'FEE', 'GUARANTEE']);
    expect(system).toHaveLength(2);
    // Members who signed get their accounts under the agreement; a member who did not gets none.
    const accountsOf = (m: string) =>
      q<{ kind: string; agreementId: string | null }>(`SELECT kind, "agreementId" FROM "Account" WHERE "memberId" = $1 ORDER BY kind`, [m]);
    expect(await accountsOf(postMember)).toEqual([
      { kind: 'BOOKKEEPING', agreementId: postAgreement },
      { kind: 'PENDING_SETTLEMENT', agreementId: postAgreement },
    ]);
    expect((await accountsOf(realtimeMember)).map((a) => a.kind)).toEqual(['BOOKKEEPING', 'PAYMENT']);
    expect(await accountsOf(unsigned)).toEqual([]);
    // The later duplicate 商户订单号 is kept under a distinguishable number; amounts are BigInt now.
    expect(await q(`SELECT "orderNo", "bizOrderNo" FROM "Order" ORDER BY "orderNo"`)).toEqual([
      { orderNo: 'YST1', bizOrderNo: 'BIZ-SAME' },
      { orderNo: 'YST2', bizOrderNo: 'BIZ-SAME#YST2' },
    ]);
    await q(`UPDATE "Order" SET "amountFen" = 900000000000 WHERE id = $1`, [o1]);
    await expect(
      q(
        `INSERT INTO "Order" (id, "applicationId", "orderNo", "bizOrderNo", type, status, "receiverMemberId", "amountFen") VALUES (gen_random_uuid(), $1, 'YST3', 'BIZ-SAME', 'TOP_UP', 'SUCCESS', $2, 1)`,
        [post, postMember],
      ),
    ).rejects.toThrow(/Order_applicationId_bizOrderNo_key/);
    // The later migrations apply on top of the upgraded data.
    const later = fs.readdirSync(MIGRATIONS_DIR).filter((m) => m > MIGRATION && fs.existsSync(path.join(MIGRATIONS_DIR, m, 'migration.sql')));
    expect((await applyMigrations(url)).applied).toEqual(later);
  });
});
