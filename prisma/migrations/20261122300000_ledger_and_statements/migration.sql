-- CreateEnum
CREATE TYPE "StatementEnablementStatus" AS ENUM ('IN_REVIEW', 'AWAITING_CONFIGURATION', 'ENABLED', 'REJECTED');

-- AlterEnum
ALTER TYPE "ReviewKind" ADD VALUE 'STATEMENT_ENABLEMENT';

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "backendSerial" TEXT,
ADD COLUMN     "cardType" TEXT,
ADD COLUMN     "channelSerial" TEXT,
ADD COLUMN     "channelType" TEXT,
ADD COLUMN     "feeFen" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "payerMemberId" UUID,
ADD COLUMN     "paymentMethod" TEXT,
ADD COLUMN     "relatedOrderId" UUID,
ADD COLUMN     "requestSerial" TEXT;

-- CreateTable
CREATE TABLE "Account" (
    "id" UUID NOT NULL,
    "applicationId" UUID NOT NULL,
    "memberId" UUID,
    "kind" TEXT NOT NULL,
    "accountNo" TEXT NOT NULL,
    "balanceFen" BIGINT NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Movement" (
    "id" UUID NOT NULL,
    "accountId" UUID NOT NULL,
    "orderId" UUID NOT NULL,
    "amountFen" INTEGER NOT NULL,
    "balanceAfterFen" BIGINT NOT NULL,
    "bookedAt" TIMESTAMP(3) NOT NULL,
    "businessDay" TEXT NOT NULL,

    CONSTRAINT "Movement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DailyBalance" (
    "accountId" UUID NOT NULL,
    "day" TEXT NOT NULL,
    "balanceFen" BIGINT NOT NULL,

    CONSTRAINT "DailyBalance_pkey" PRIMARY KEY ("accountId","day")
);

-- CreateTable
CREATE TABLE "Statement" (
    "id" UUID NOT NULL,
    "applicationId" UUID NOT NULL,
    "period" TEXT NOT NULL,
    "periodKey" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "rowCount" INTEGER NOT NULL,
    "totalFen" BIGINT NOT NULL,
    "sha256" TEXT NOT NULL,
    "generatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Statement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StatementEnablement" (
    "id" UUID NOT NULL,
    "applicationId" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "status" "StatementEnablementStatus" NOT NULL DEFAULT 'IN_REVIEW',
    "appliedMonth" TEXT NOT NULL,
    "requestedById" UUID NOT NULL,
    "workflowId" TEXT NOT NULL,
    "configuredAt" TIMESTAMP(3),
    "rejectedReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StatementEnablement_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Account_accountNo_key" ON "Account"("accountNo");

-- CreateIndex
CREATE INDEX "Account_applicationId_kind_idx" ON "Account"("applicationId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "Account_applicationId_memberId_kind_key" ON "Account"("applicationId", "memberId", "kind");

-- CreateIndex
CREATE INDEX "Movement_accountId_bookedAt_idx" ON "Movement"("accountId", "bookedAt");

-- CreateIndex
CREATE INDEX "Movement_orderId_idx" ON "Movement"("orderId");

-- CreateIndex
CREATE UNIQUE INDEX "Statement_applicationId_period_periodKey_version_key" ON "Statement"("applicationId", "period", "periodKey", "version");

-- CreateIndex
CREATE UNIQUE INDEX "StatementEnablement_workflowId_key" ON "StatementEnablement"("workflowId");

-- CreateIndex
CREATE INDEX "StatementEnablement_applicationId_createdAt_idx" ON "StatementEnablement"("applicationId", "createdAt");

-- CreateIndex
CREATE INDEX "Order_applicationId_bizOrderNo_idx" ON "Order"("applicationId", "bizOrderNo");

-- CreateIndex
CREATE INDEX "Order_requestSerial_idx" ON "Order"("requestSerial");

-- CreateIndex
CREATE INDEX "Order_channelSerial_idx" ON "Order"("channelSerial");

-- CreateIndex
CREATE INDEX "Order_backendSerial_idx" ON "Order"("backendSerial");

-- CreateIndex
CREATE INDEX "Order_relatedOrderId_idx" ON "Order"("relatedOrderId");

-- AddForeignKey
ALTER TABLE "Movement" ADD CONSTRAINT "Movement_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Movement" ADD CONSTRAINT "Movement_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

