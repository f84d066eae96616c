-- F7: application onboarding and go-live (material checklist, review, automatic creation)
-- CreateEnum
CREATE TYPE "ApplicationOnboardingStatus" AS ENUM ('DRAFT', 'IN_REVIEW', 'RETURNED', 'ACTIVATING', 'TESTING', 'GO_LIVE_REVIEW', 'LIVE', 'CANCELLED', 'EXPIRED');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "ReviewKind" ADD VALUE 'APPLICATION_ONBOARDING';
ALTER TYPE "ReviewKind" ADD VALUE 'APPLICATION_GO_LIVE';

-- AlterTable
ALTER TABLE "Application" ADD COLUMN     "liveAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "ReviewItem" ALTER COLUMN "applicationId" DROP NOT NULL;

-- CreateTable
CREATE TABLE "ApplicationOnboarding" (
    "id" UUID NOT NULL,
    "customerName" TEXT NOT NULL,
    "agreementType" TEXT NOT NULL,
    "scenario" JSONB NOT NULL,
    "fundMode" "FundMode" NOT NULL,
    "serviceProviderId" UUID NOT NULL,
    "legalRepName" TEXT NOT NULL,
    "legalRepPhoneEnc" TEXT NOT NULL,
    "legalRepPhoneMasked" TEXT NOT NULL,
    "contactEmail" TEXT NOT NULL,
    "status" "ApplicationOnboardingStatus" NOT NULL DEFAULT 'DRAFT',
    "applicationId" UUID,
    "pendingPasswordEnc" TEXT,
    "workflowId" TEXT,
    "createdById" UUID NOT NULL,
    "createdByName" TEXT NOT NULL,
    "returnedReason" TEXT,
    "goLiveReturnedReason" TEXT,
    "closedReason" TEXT,
    "submittedAt" TIMESTAMP(3),
    "activatedAt" TIMESTAMP(3),
    "liveAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ApplicationOnboarding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApplicationMaterialFile" (
    "id" UUID NOT NULL,
    "onboardingId" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "data" BYTEA NOT NULL,
    "uploadedById" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApplicationMaterialFile_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ApplicationOnboarding_applicationId_key" ON "ApplicationOnboarding"("applicationId");

-- CreateIndex
CREATE UNIQUE INDEX "ApplicationOnboarding_workflowId_key" ON "ApplicationOnboarding"("workflowId");

-- CreateIndex
CREATE INDEX "ApplicationOnboarding_status_updatedAt_idx" ON "ApplicationOnboarding"("status", "updatedAt");

-- CreateIndex
CREATE INDEX "ApplicationMaterialFile_onboardingId_code_idx" ON "ApplicationMaterialFile"("onboardingId", "code");

-- AddForeignKey
ALTER TABLE "ApplicationMaterialFile" ADD CONSTRAINT "ApplicationMaterialFile_onboardingId_fkey" FOREIGN KEY ("onboardingId") REFERENCES "ApplicationOnboarding"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Applications that existed before F7 went live long ago.
UPDATE "Application" SET "liveAt" = "createdAt" WHERE "liveAt" IS NULL;

-- An application onboarding has a review item per round (returned and resubmitted, go-live returned): no longer one per subject.
DROP INDEX "ReviewItem_kind_subjectId_key";
CREATE INDEX "ReviewItem_kind_subjectId_idx" ON "ReviewItem"("kind", "subjectId");
