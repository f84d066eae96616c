-- 会员查询 by ID number: an HMAC digest beside the encrypted number. Rows written before it get
-- theirs from the worker's one-time backfill (lib/business/personal-data.ts), which decrypts each once.
ALTER TABLE "Member" ADD COLUMN "idNumberDigest" TEXT;
CREATE INDEX "Member_applicationId_idNumberDigest_idx" ON "Member"("applicationId", "idNumberDigest");
