-- Personal data at rest: a searchable digest of an individual's name (the name itself is only
-- encrypted and masked), and the signer's name encrypted. The rows written before are converted by
-- the personal-data backfill (lib/business/personal-data.ts), which needs the field key.
ALTER TABLE "Member" ADD COLUMN "nameDigest" TEXT;
CREATE INDEX "Member_applicationId_nameDigest_idx" ON "Member"("applicationId", "nameDigest");
ALTER TABLE "Agreement" ADD COLUMN "signerNameEnc" TEXT;
