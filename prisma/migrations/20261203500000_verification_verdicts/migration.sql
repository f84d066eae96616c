-- The vendor's verdicts on four elements, by a keyed digest of the four (never the values): a retried
-- step or import row, and the same identity again within VERIFIER_CACHE_HOURS, are not asked (and paid)
-- again. Only verdicts are kept; a vendor that gave none is asked again next time.
CREATE TABLE "VerificationVerdict" (
    "identityDigest" TEXT NOT NULL,
    "verdict" JSONB NOT NULL,
    "verifiedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "VerificationVerdict_pkey" PRIMARY KEY ("identityDigest")
);
CREATE INDEX "VerificationVerdict_verifiedAt_idx" ON "VerificationVerdict"("verifiedAt");
