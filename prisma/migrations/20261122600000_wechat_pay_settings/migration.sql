-- AlterTable
ALTER TABLE "Application" ADD COLUMN     "cashierMerchantNo" TEXT;

-- CreateTable
CREATE TABLE "WechatPaySetting" (
    "applicationId" UUID NOT NULL,
    "appId" TEXT NOT NULL,
    "directories" TEXT[],
    "updatedById" UUID NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WechatPaySetting_pkey" PRIMARY KEY ("applicationId")
);
