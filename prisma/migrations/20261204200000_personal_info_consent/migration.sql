-- PIPL: the consent to the processing of sensitive personal information, recorded with its evidence
-- (time, text version and hash, address, browser), and its withdrawal. Members onboarded before
-- consent was recorded have none; the platform's own records stand for them (README).
CREATE TABLE "PersonalInfoConsent" (
    "id" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "applicationId" UUID NOT NULL,
    "sessionId" UUID,
    "importTaskId" UUID,
    "source" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "textHash" TEXT NOT NULL,
    "ip" TEXT,
    "userAgent" TEXT,
    "attestedById" UUID,
    "givenAt" TIMESTAMP(3) NOT NULL,
    "withdrawnAt" TIMESTAMP(3),
    "withdrawReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PersonalInfoConsent_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "PersonalInfoConsent_sessionId_source_key" ON "PersonalInfoConsent"("sessionId", "source");
CREATE UNIQUE INDEX "PersonalInfoConsent_importTaskId_memberId_key" ON "PersonalInfoConsent"("importTaskId", "memberId");
CREATE INDEX "PersonalInfoConsent_memberId_idx" ON "PersonalInfoConsent"("memberId");
ALTER TABLE "PersonalInfoConsent" ADD CONSTRAINT "PersonalInfoConsent_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Member" ADD COLUMN "consentWithdrawnAt" TIMESTAMP(3);
-- A platform submitting an import or migration file attests it holds those members' consent.
ALTER TABLE "ImportTask" ADD COLUMN "consentAttestedById" UUID, ADD COLUMN "consentAttestedAt" TIMESTAMP(3);
