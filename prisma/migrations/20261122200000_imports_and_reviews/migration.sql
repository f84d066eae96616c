-- CreateEnum
CREATE TYPE "ImportWindowStatus" AS ENUM ('REQUESTED', 'OPEN', 'REJECTED', 'CLOSED');

-- CreateEnum
CREATE TYPE "ReviewKind" AS ENUM ('IMPORT_WINDOW', 'IMPORT_TASK', 'MIGRATION_REQUEST', 'MIGRATION_FILE');

-- CreateEnum
CREATE TYPE "ReviewStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "ImportKind" AS ENUM ('INDIVIDUAL', 'ENTERPRISE', 'BANK_CARD');

-- CreateEnum
CREATE TYPE "ImportTaskStatus" AS ENUM ('VALIDATED', 'IN_REVIEW', 'REJECTED', 'EXECUTING', 'COMPLETED');

-- CreateEnum
CREATE TYPE "MigrationStatus" AS ENUM ('IN_REVIEW', 'AWAITING_CONFIGURATION', 'AWAITING_FILE', 'FILE_IN_REVIEW', 'EXECUTING', 'COMPLETED', 'REJECTED');

-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "importTaskId" UUID,
ADD COLUMN     "roleId" UUID;

-- CreateTable
CREATE TABLE "ImportWindow" (
    "id" UUID NOT NULL,
    "applicationId" UUID NOT NULL,
    "status" "ImportWindowStatus" NOT NULL DEFAULT 'REQUESTED',
    "reason" TEXT NOT NULL,
    "requestedById" UUID NOT NULL,
    "workflowId" TEXT NOT NULL,
    "openedAt" TIMESTAMP(3),
    "closesAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "closedNote" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ImportWindow_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReviewItem" (
    "id" UUID NOT NULL,
    "kind" "ReviewKind" NOT NULL,
    "subjectId" UUID NOT NULL,
    "applicationId" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "applicantId" UUID NOT NULL,
    "applicantName" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "status" "ReviewStatus" NOT NULL DEFAULT 'PENDING',
    "decidedById" UUID,
    "decidedByName" TEXT,
    "decidedAt" TIMESTAMP(3),
    "reason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReviewItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportTask" (
    "id" UUID NOT NULL,
    "applicationId" UUID NOT NULL,
    "kind" "ImportKind" NOT NULL,
    "purpose" TEXT NOT NULL DEFAULT 'IMPORT',
    "migrationId" UUID,
    "fileName" TEXT NOT NULL,
    "fileFormat" TEXT NOT NULL,
    "encoding" TEXT NOT NULL,
    "fileSize" INTEGER NOT NULL,
    "fileSha256" TEXT NOT NULL,
    "status" "ImportTaskStatus" NOT NULL DEFAULT 'VALIDATED',
    "totalRows" INTEGER NOT NULL,
    "invalidRows" INTEGER NOT NULL,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "succeeded" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "createdById" UUID NOT NULL,
    "workflowId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "submittedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ImportTask_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportRow" (
    "taskId" UUID NOT NULL,
    "rowNo" INTEGER NOT NULL,
    "bizUserId" TEXT NOT NULL,
    "valuesEnc" TEXT NOT NULL,
    "problems" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "resultCode" TEXT,
    "resultMessage" TEXT,
    "memberId" UUID,

    CONSTRAINT "ImportRow_pkey" PRIMARY KEY ("taskId","rowNo")
);

-- CreateTable
CREATE TABLE "Migration" (
    "id" UUID NOT NULL,
    "applicationId" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "status" "MigrationStatus" NOT NULL DEFAULT 'IN_REVIEW',
    "requestedById" UUID NOT NULL,
    "workflowId" TEXT NOT NULL,
    "roleName" TEXT NOT NULL DEFAULT '迁移会员',
    "configuredAt" TIMESTAMP(3),
    "configuredById" UUID,
    "taskId" UUID,
    "rejectedReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Migration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MemberRole" (
    "id" UUID NOT NULL,
    "applicationId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MemberRole_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ImportWindow_workflowId_key" ON "ImportWindow"("workflowId");

-- CreateIndex
CREATE INDEX "ImportWindow_applicationId_createdAt_idx" ON "ImportWindow"("applicationId", "createdAt");

-- CreateIndex
CREATE INDEX "ReviewItem_status_createdAt_idx" ON "ReviewItem"("status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ReviewItem_kind_subjectId_key" ON "ReviewItem"("kind", "subjectId");

-- CreateIndex
CREATE UNIQUE INDEX "ImportTask_workflowId_key" ON "ImportTask"("workflowId");

-- CreateIndex
CREATE INDEX "ImportTask_applicationId_createdAt_idx" ON "ImportTask"("applicationId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Migration_workflowId_key" ON "Migration"("workflowId");

-- CreateIndex
CREATE INDEX "Migration_applicationId_createdAt_idx" ON "Migration"("applicationId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "MemberRole_applicationId_name_key" ON "MemberRole"("applicationId", "name");

-- AddForeignKey
ALTER TABLE "ImportRow" ADD CONSTRAINT "ImportRow_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "ImportTask"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

