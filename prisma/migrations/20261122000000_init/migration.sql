-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "FundMode" AS ENUM ('REALTIME_SETTLEMENT', 'POST_SETTLEMENT');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('SERVICE_PROVIDER', 'APPLICATION', 'MEMBER', 'REVIEWER', 'OPERATOR');

-- CreateEnum
CREATE TYPE "MemberType" AS ENUM ('INDIVIDUAL', 'ENTERPRISE');

-- CreateEnum
CREATE TYPE "MemberStatus" AS ENUM ('PENDING', 'NORMAL', 'EXPIRED');

-- CreateEnum
CREATE TYPE "OnboardingMode" AS ENUM ('SELF_SERVICE', 'PROXY');

-- CreateEnum
CREATE TYPE "OnboardingStage" AS ENUM ('INFORMATION', 'PHONE_BINDING', 'AGREEMENT_SIGNING', 'COMPLETED', 'EXPIRED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "SmsPurpose" AS ENUM ('PHONE_BINDING', 'AGREEMENT_SIGNING', 'DEVICE_VERIFICATION');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('PENDING', 'SENT', 'FAILED');

-- CreateTable
CREATE TABLE "ServiceProvider" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ServiceProvider_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Application" (
    "id" UUID NOT NULL,
    "appNo" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "fundMode" "FundMode" NOT NULL,
    "contactEmail" TEXT NOT NULL,
    "serviceProviderId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Application_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" UUID NOT NULL,
    "username" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "displayName" TEXT NOT NULL,
    "applicationId" UUID,
    "serviceProviderId" UUID,
    "mustChangePassword" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Member" (
    "id" UUID NOT NULL,
    "applicationId" UUID NOT NULL,
    "bizUserId" TEXT NOT NULL,
    "type" "MemberType" NOT NULL,
    "status" "MemberStatus" NOT NULL DEFAULT 'PENDING',
    "displayName" TEXT NOT NULL,
    "personNameEnc" TEXT,
    "idNumberEnc" TEXT,
    "idNumberMasked" TEXT,
    "companyName" TEXT,
    "creditCode" TEXT,
    "address" TEXT,
    "businessScope" TEXT,
    "legalPhoneEnc" TEXT,
    "legalPhoneMasked" TEXT,
    "boundPhoneEnc" TEXT,
    "boundPhoneMasked" TEXT,
    "boundPhoneDigest" TEXT,
    "realNameVerifiedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Member_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BankCard" (
    "id" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "cardNumberEnc" TEXT NOT NULL,
    "cardNumberMasked" TEXT NOT NULL,
    "cardDigest" TEXT NOT NULL,
    "holderNameEnc" TEXT NOT NULL,
    "reservedPhoneEnc" TEXT NOT NULL,
    "reservedPhoneMasked" TEXT NOT NULL,
    "corporate" BOOLEAN NOT NULL DEFAULT false,
    "verifiedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BankCard_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OnboardingSession" (
    "id" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "applicationId" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "mode" "OnboardingMode" NOT NULL,
    "workflowId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "stage" "OnboardingStage" NOT NULL DEFAULT 'INFORMATION',
    "stepsDone" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "waitingFor" TEXT NOT NULL DEFAULT 'member',
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "completedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OnboardingSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OnboardingEvent" (
    "id" UUID NOT NULL,
    "sessionId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "stage" "OnboardingStage" NOT NULL,
    "kind" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OnboardingEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrustedDevice" (
    "id" UUID NOT NULL,
    "sessionId" UUID NOT NULL,
    "deviceHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrustedDevice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SmsChallenge" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "purpose" "SmsPurpose" NOT NULL,
    "phoneEnc" TEXT NOT NULL,
    "phoneMasked" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "sentAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "consumedAt" TIMESTAMP(3),

    CONSTRAINT "SmsChallenge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SmsMessage" (
    "id" UUID NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "toMasked" TEXT NOT NULL,
    "toEnc" TEXT NOT NULL,
    "template" TEXT NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "providerId" TEXT,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "SmsMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MailMessage" (
    "id" UUID NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "to" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "providerId" TEXT,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "MailMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Agreement" (
    "id" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "sessionId" UUID,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "documentHash" TEXT NOT NULL,
    "signMethod" TEXT NOT NULL,
    "signedPhoneMasked" TEXT NOT NULL,
    "signedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Agreement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Upload" (
    "id" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "sessionId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "data" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Upload_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" UUID NOT NULL,
    "actorId" UUID,
    "actorRole" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "detail" JSONB,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session" (
    "sid" VARCHAR NOT NULL,
    "sess" JSONB NOT NULL,
    "expire" TIMESTAMP(6) NOT NULL,

    CONSTRAINT "session_pkey" PRIMARY KEY ("sid")
);

-- CreateIndex
CREATE UNIQUE INDEX "Application_appNo_key" ON "Application"("appNo");

-- CreateIndex
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");

-- CreateIndex
CREATE INDEX "Member_applicationId_type_createdAt_idx" ON "Member"("applicationId", "type", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Member_applicationId_bizUserId_key" ON "Member"("applicationId", "bizUserId");

-- CreateIndex
CREATE UNIQUE INDEX "BankCard_memberId_cardDigest_key" ON "BankCard"("memberId", "cardDigest");

-- CreateIndex
CREATE UNIQUE INDEX "OnboardingSession_workflowId_key" ON "OnboardingSession"("workflowId");

-- CreateIndex
CREATE UNIQUE INDEX "OnboardingSession_tokenHash_key" ON "OnboardingSession"("tokenHash");

-- CreateIndex
CREATE INDEX "OnboardingSession_stage_expiresAt_idx" ON "OnboardingSession"("stage", "expiresAt");

-- CreateIndex
CREATE INDEX "OnboardingSession_applicationId_createdAt_idx" ON "OnboardingSession"("applicationId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "OnboardingSession_memberId_attempt_key" ON "OnboardingSession"("memberId", "attempt");

-- CreateIndex
CREATE UNIQUE INDEX "OnboardingEvent_key_key" ON "OnboardingEvent"("key");

-- CreateIndex
CREATE INDEX "OnboardingEvent_sessionId_at_idx" ON "OnboardingEvent"("sessionId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "TrustedDevice_sessionId_deviceHash_key" ON "TrustedDevice"("sessionId", "deviceHash");

-- CreateIndex
CREATE UNIQUE INDEX "SmsChallenge_key_key" ON "SmsChallenge"("key");

-- CreateIndex
CREATE INDEX "SmsChallenge_scope_purpose_sentAt_idx" ON "SmsChallenge"("scope", "purpose", "sentAt");

-- CreateIndex
CREATE UNIQUE INDEX "SmsMessage_idempotencyKey_key" ON "SmsMessage"("idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "MailMessage_idempotencyKey_key" ON "MailMessage"("idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "Agreement_memberId_kind_sessionId_key" ON "Agreement"("memberId", "kind", "sessionId");

-- CreateIndex
CREATE INDEX "Upload_sessionId_kind_idx" ON "Upload"("sessionId", "kind");

-- CreateIndex
CREATE INDEX "AuditLog_at_idx" ON "AuditLog"("at");

-- CreateIndex
CREATE INDEX "session_expire_idx" ON "session"("expire");

-- AddForeignKey
ALTER TABLE "Application" ADD CONSTRAINT "Application_serviceProviderId_fkey" FOREIGN KEY ("serviceProviderId") REFERENCES "ServiceProvider"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_serviceProviderId_fkey" FOREIGN KEY ("serviceProviderId") REFERENCES "ServiceProvider"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Member" ADD CONSTRAINT "Member_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BankCard" ADD CONSTRAINT "BankCard_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OnboardingSession" ADD CONSTRAINT "OnboardingSession_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OnboardingSession" ADD CONSTRAINT "OnboardingSession_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OnboardingEvent" ADD CONSTRAINT "OnboardingEvent_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "OnboardingSession"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrustedDevice" ADD CONSTRAINT "TrustedDevice_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "OnboardingSession"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Agreement" ADD CONSTRAINT "Agreement_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Upload" ADD CONSTRAINT "Upload_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

