-- 应用中心: certificates (SM2), signed open-API nonces, the data overview's daily figures, custody mode
-- CreateTable
CREATE TABLE "ApplicationCredential" (
    "applicationId" UUID NOT NULL,
    "sm2PublicKey" TEXT,
    "publicKeyUpdatedAt" TIMESTAMP(3),
    "encryptionKeyEnc" TEXT,
    "encryptionKeyUpdatedAt" TIMESTAMP(3),

    CONSTRAINT "ApplicationCredential_pkey" PRIMARY KEY ("applicationId")
);

-- CreateTable
CREATE TABLE "PlatformKey" (
    "id" TEXT NOT NULL,
    "publicKey" TEXT NOT NULL,
    "privateKeyEnc" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PlatformKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiNonce" (
    "appNo" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApiNonce_pkey" PRIMARY KEY ("appNo","nonce")
);

-- CreateTable
CREATE TABLE "DailyTradeStat" (
    "applicationId" UUID NOT NULL,
    "day" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "amountFen" BIGINT NOT NULL,
    "commissionFen" BIGINT NOT NULL,
    "refreshedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DailyTradeStat_pkey" PRIMARY KEY ("applicationId","day","type")
);

-- CreateIndex
CREATE INDEX "ApiNonce_createdAt_idx" ON "ApiNonce"("createdAt");


-- AlterTable
ALTER TABLE "Application" ADD COLUMN "custodyMode" TEXT NOT NULL DEFAULT 'ALLINPAY',
ADD COLUMN "custodyBank" TEXT;
