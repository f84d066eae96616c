-- CreateEnum
CREATE TYPE "SigningPurpose" AS ENUM ('SETTLEMENT_AUTHORISATION', 'SPLIT_RULE');

-- CreateEnum
CREATE TYPE "SigningLinkStatus" AS ENUM ('PENDING', 'SENT', 'OPENED', 'SIGNED', 'EXPIRED', 'REVOKED');

-- CreateEnum
CREATE TYPE "SigningBatchStatus" AS ENUM ('RUNNING', 'COMPLETED');

-- AlterEnum
ALTER TYPE "OnboardingStage" ADD VALUE 'CONFIRMATION';

-- AlterTable
ALTER TABLE "OnboardingSession" ADD COLUMN     "tokenVersion" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "Agreement" ADD COLUMN     "applicationId" UUID,
ADD COLUMN     "category" TEXT NOT NULL DEFAULT 'MEMBER',
ADD COLUMN     "ip" TEXT,
ADD COLUMN     "linkId" UUID,
ADD COLUMN     "online" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "signerName" TEXT,
ADD COLUMN     "smsChallengeId" UUID,
ADD COLUMN     "status" TEXT NOT NULL DEFAULT 'VALID',
ADD COLUMN     "subject" JSONB,
ADD COLUMN     "userAgent" TEXT;

-- CreateTable
CREATE TABLE "SigningLink" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "applicationId" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "purpose" "SigningPurpose" NOT NULL,
    "batchId" UUID,
    "splitRuleId" UUID,
    "tokenHash" TEXT NOT NULL,
    "status" "SigningLinkStatus" NOT NULL DEFAULT 'PENDING',
    "phoneMasked" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "sentAt" TIMESTAMP(3),
    "openedAt" TIMESTAMP(3),
    "signedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "revokedReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SigningLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SigningBatch" (
    "id" UUID NOT NULL,
    "applicationId" UUID NOT NULL,
    "createdById" UUID NOT NULL,
    "validityDays" INTEGER NOT NULL,
    "workflowId" TEXT NOT NULL,
    "status" "SigningBatchStatus" NOT NULL DEFAULT 'RUNNING',
    "total" INTEGER NOT NULL,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "sent" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "SigningBatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SigningBatchItem" (
    "id" UUID NOT NULL,
    "batchId" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "memberId" UUID NOT NULL,
    "outcome" TEXT NOT NULL DEFAULT 'PENDING',
    "reason" TEXT,
    "linkId" UUID,

    CONSTRAINT "SigningBatchItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SplitRule" (
    "id" UUID NOT NULL,
    "applicationId" UUID NOT NULL,
    "ruleNo" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "receiverMemberId" UUID NOT NULL,
    "commissionMethod" TEXT,
    "commissionValue" INTEGER,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "version" INTEGER NOT NULL DEFAULT 1,
    "allSigned" BOOLEAN NOT NULL DEFAULT false,
    "effectiveAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SplitRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SplitRuleParty" (
    "id" UUID NOT NULL,
    "ruleId" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "role" TEXT NOT NULL,
    "method" TEXT,
    "value" INTEGER,
    "position" INTEGER NOT NULL,
    "termsHash" TEXT NOT NULL,
    "signedTermsHash" TEXT,
    "signedAt" TIMESTAMP(3),

    CONSTRAINT "SplitRuleParty_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Order" (
    "id" UUID NOT NULL,
    "applicationId" UUID NOT NULL,
    "orderNo" TEXT NOT NULL,
    "bizOrderNo" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "payerName" TEXT,
    "receiverMemberId" UUID NOT NULL,
    "amountFen" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SplitDetail" (
    "id" UUID NOT NULL,
    "orderId" UUID NOT NULL,
    "applicationId" UUID NOT NULL,
    "ruleId" UUID,
    "fromMemberId" UUID NOT NULL,
    "toMemberId" UUID,
    "kind" TEXT NOT NULL,
    "amountFen" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SplitDetail_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SigningLink_key_key" ON "SigningLink"("key");

-- CreateIndex
CREATE UNIQUE INDEX "SigningLink_tokenHash_key" ON "SigningLink"("tokenHash");

-- CreateIndex
CREATE INDEX "SigningLink_applicationId_createdAt_idx" ON "SigningLink"("applicationId", "createdAt");

-- CreateIndex
CREATE INDEX "SigningLink_memberId_purpose_status_idx" ON "SigningLink"("memberId", "purpose", "status");

-- CreateIndex
CREATE INDEX "SigningLink_batchId_status_idx" ON "SigningLink"("batchId", "status");

-- CreateIndex
CREATE INDEX "SigningLink_splitRuleId_status_idx" ON "SigningLink"("splitRuleId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "SigningBatch_workflowId_key" ON "SigningBatch"("workflowId");

-- CreateIndex
CREATE INDEX "SigningBatch_applicationId_createdAt_idx" ON "SigningBatch"("applicationId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "SigningBatchItem_batchId_seq_key" ON "SigningBatchItem"("batchId", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "SigningBatchItem_batchId_memberId_key" ON "SigningBatchItem"("batchId", "memberId");

-- CreateIndex
CREATE UNIQUE INDEX "SplitRule_ruleNo_key" ON "SplitRule"("ruleNo");

-- CreateIndex
CREATE INDEX "SplitRule_applicationId_createdAt_idx" ON "SplitRule"("applicationId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "SplitRuleParty_ruleId_memberId_key" ON "SplitRuleParty"("ruleId", "memberId");

-- CreateIndex
CREATE UNIQUE INDEX "Order_orderNo_key" ON "Order"("orderNo");

-- CreateIndex
CREATE INDEX "Order_applicationId_createdAt_idx" ON "Order"("applicationId", "createdAt");

-- CreateIndex
CREATE INDEX "SplitDetail_applicationId_kind_createdAt_idx" ON "SplitDetail"("applicationId", "kind", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Agreement_linkId_key" ON "Agreement"("linkId");

-- CreateIndex
CREATE INDEX "Agreement_applicationId_category_signedAt_idx" ON "Agreement"("applicationId", "category", "signedAt");

-- AddForeignKey
ALTER TABLE "SigningLink" ADD CONSTRAINT "SigningLink_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SigningBatchItem" ADD CONSTRAINT "SigningBatchItem_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "SigningBatch"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SplitRuleParty" ADD CONSTRAINT "SplitRuleParty_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "SplitRule"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SplitDetail" ADD CONSTRAINT "SplitDetail_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

