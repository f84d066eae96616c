-- The money side, part one: accounts opened by the flows (with the agreement each was opened
-- under), system accounts unique per application, amounts in BigInt fen, and 商户订单号 unique
-- per application.

-- Amounts: an Int capped an order at 21,474,836.47 元.
ALTER TABLE "Order" ALTER COLUMN "amountFen" TYPE BIGINT, ALTER COLUMN "feeFen" TYPE BIGINT;
ALTER TABLE "Movement" ALTER COLUMN "amountFen" TYPE BIGINT;
ALTER TABLE "SplitDetail" ALTER COLUMN "amountFen" TYPE BIGINT;

-- The agreement an account was opened under (NULL: a system account, or opened before this).
ALTER TABLE "Account" ADD COLUMN "agreementId" UUID;
CREATE INDEX "Account_agreementId_idx" ON "Account"("agreementId");

-- Account numbers of accounts the product opens: 应用编号 + kind code + 10 digits from here.
CREATE SEQUENCE "account_no_seq" START 1;

-- System accounts (no member) were not unique: (applicationId, NULL, kind) never conflicts. Keep the
-- oldest of each kind, move the others' movements and balance onto it, then make it unique.
WITH ranked AS (
  SELECT id, first_value(id) OVER w AS keep, row_number() OVER w AS n
    FROM "Account" WHERE "memberId" IS NULL
  WINDOW w AS (PARTITION BY "applicationId", kind ORDER BY "createdAt", id)
), extra AS (SELECT id, keep FROM ranked WHERE n > 1),
moved AS (UPDATE "Movement" m SET "accountId" = e.keep FROM extra e WHERE m."accountId" = e.id RETURNING m.id),
summed AS (
  UPDATE "Account" a SET "balanceFen" = a."balanceFen" + s.total
    FROM (SELECT e.keep, sum(x."balanceFen") AS total FROM extra e JOIN "Account" x ON x.id = e.id GROUP BY e.keep) s
   WHERE a.id = s.keep RETURNING a.id)
DELETE FROM "DailyBalance" d USING extra e WHERE d."accountId" = e.id;
DELETE FROM "Account" a WHERE a."memberId" IS NULL AND EXISTS (
  SELECT 1 FROM "Account" k WHERE k."memberId" IS NULL AND k."applicationId" = a."applicationId" AND k.kind = a.kind
     AND (k."createdAt", k.id) < (a."createdAt", a.id));
CREATE UNIQUE INDEX "Account_system_kind_key" ON "Account"("applicationId", kind) WHERE "memberId" IS NULL;

-- 商户订单号 is unique per application. Duplicates (only possible in generated demo data) keep
-- the first; later ones get their 云商通订单号 appended, so no order is lost.
UPDATE "Order" o SET "bizOrderNo" = o."bizOrderNo" || '#' || o."orderNo"
 WHERE EXISTS (SELECT 1 FROM "Order" f WHERE f."applicationId" = o."applicationId" AND f."bizOrderNo" = o."bizOrderNo"
                 AND (f."createdAt", f.id) < (o."createdAt", o.id));
DROP INDEX "Order_applicationId_bizOrderNo_idx";
CREATE UNIQUE INDEX "Order_applicationId_bizOrderNo_key" ON "Order"("applicationId", "bizOrderNo");

-- Every application has its system accounts: 渠道清算户, 担保中间户, and its commission and fee accounts.
INSERT INTO "Account" (id, "applicationId", "memberId", kind, "accountNo")
SELECT gen_random_uuid(), a.id, NULL, k.kind, a."appNo" || k.code || lpad(nextval('account_no_seq')::text, 10, '0')
  FROM "Application" a
 CROSS JOIN (VALUES ('CLEARING', '91'), ('GUARANTEE', '92'), ('COMMISSION', '93'), ('FEE', '94')) AS k(kind, code)
ON CONFLICT ("applicationId", kind) WHERE "memberId" IS NULL DO NOTHING;

-- Members that signed the 会员协议 before accounts were opened by the flows get theirs now: the
-- 簿记账户, and the 待结算户 in post-settlement applications, under that agreement; in realtime
-- applications the 支付账户 too (no payment-account agreement was signed then: agreementId stays NULL).
WITH signed AS (
  SELECT DISTINCT ON (g."memberId") g."memberId", g.id AS "agreementId", m."applicationId", a."appNo", a."fundMode"
    FROM "Agreement" g JOIN "Member" m ON m.id = g."memberId" JOIN "Application" a ON a.id = m."applicationId"
   WHERE g.kind = 'MEMBER_SERVICE' AND g.status = 'VALID'
   ORDER BY g."memberId", g."signedAt")
INSERT INTO "Account" (id, "applicationId", "memberId", kind, "accountNo", "agreementId")
SELECT gen_random_uuid(), s."applicationId", s."memberId", k.kind, s."appNo" || k.code || lpad(nextval('account_no_seq')::text, 10, '0'),
       CASE WHEN k.kind = 'PAYMENT' THEN NULL ELSE s."agreementId" END
  FROM signed s
  JOIN (VALUES ('BOOKKEEPING', '01', NULL), ('PENDING_SETTLEMENT', '03', 'POST_SETTLEMENT'), ('PAYMENT', '02', 'REALTIME_SETTLEMENT')) AS k(kind, code, mode)
    ON k.mode IS NULL OR k.mode = s."fundMode"::text
ON CONFLICT ("applicationId", "memberId", kind) DO NOTHING;

-- Accounts opened earlier (demo data) name the 会员协议 they belong to.
UPDATE "Account" x SET "agreementId" = g.id
  FROM "Agreement" g
 WHERE x."agreementId" IS NULL AND x.kind IN ('BOOKKEEPING', 'PENDING_SETTLEMENT')
   AND g."memberId" = x."memberId" AND g.kind = 'MEMBER_SERVICE' AND g.status = 'VALID';
