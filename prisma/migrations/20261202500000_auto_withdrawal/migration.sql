-- 提现设置 (自动提现): the platform's setting for a member — every day at a Shanghai time of day,
-- what the member's 支付账户 has available goes to one of its verified cards.
CREATE TABLE "AutoWithdrawal" (
    "memberId" UUID NOT NULL,
    "applicationId" UUID NOT NULL,
    "cardId" UUID NOT NULL,
    "minuteOfDay" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AutoWithdrawal_pkey" PRIMARY KEY ("memberId"),
    CONSTRAINT "AutoWithdrawal_minute_range" CHECK ("minuteOfDay" BETWEEN 0 AND 1439)
);
CREATE INDEX "AutoWithdrawal_applicationId_idx" ON "AutoWithdrawal"("applicationId");
