-- 对公户 (corporate accounts): a BankCard with corporate = true, bound after a small-deposit
-- verification; it has a bank name and no bank-reserved phone.
ALTER TABLE "BankCard" ALTER COLUMN "reservedPhoneEnc" DROP NOT NULL;
ALTER TABLE "BankCard" ALTER COLUMN "reservedPhoneMasked" DROP NOT NULL;
ALTER TABLE "BankCard" ADD COLUMN "bankName" TEXT;

CREATE TYPE "CorporateAccountStatus" AS ENUM ('DEPOSITING', 'AWAITING_CONFIRMATION', 'VERIFIED', 'FAILED', 'EXPIRED', 'CANCELLED');

-- One small-deposit verification of a corporate account, driven by one workflow. The amount sent is
-- never stored: it is derived from the deposit number with a secret key, and so is the check of the answer.
CREATE TABLE "CorporateAccountVerification" (
    "id" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "applicationId" UUID NOT NULL,
    "workflowId" TEXT NOT NULL,
    "accountNoEnc" TEXT NOT NULL,
    "accountNoMasked" TEXT NOT NULL,
    "accountDigest" TEXT NOT NULL,
    "bankName" TEXT NOT NULL,
    "accountName" TEXT NOT NULL,
    "status" "CorporateAccountStatus" NOT NULL DEFAULT 'DEPOSITING',
    "depositNo" TEXT NOT NULL,
    "triesLeft" INTEGER NOT NULL,
    "failureReason" TEXT,
    "confirmBy" TIMESTAMP(3),
    "bankCardId" UUID,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "CorporateAccountVerification_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "CorporateAccountVerification_workflowId_key" ON "CorporateAccountVerification"("workflowId");
CREATE UNIQUE INDEX "CorporateAccountVerification_depositNo_key" ON "CorporateAccountVerification"("depositNo");
CREATE INDEX "CorporateAccountVerification_memberId_createdAt_idx" ON "CorporateAccountVerification"("memberId", "createdAt");
-- One verification at a time per member and account.
CREATE UNIQUE INDEX "CorporateAccountVerification_open_key" ON "CorporateAccountVerification"("memberId", "accountDigest")
  WHERE "status" IN ('DEPOSITING', 'AWAITING_CONFIRMATION');
ALTER TABLE "CorporateAccountVerification" ADD CONSTRAINT "CorporateAccountVerification_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "CorporateAccountVerification" ADD CONSTRAINT "CorporateAccountVerification_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
