-- 担保消费: the days after which what a 担保支付 still holds is confirmed to its receiver by itself.
ALTER TABLE "Application" ADD COLUMN "guaranteeConfirmDays" INTEGER NOT NULL DEFAULT 7;
ALTER TABLE "Application" ADD CONSTRAINT "Application_guaranteeConfirmDays_range" CHECK ("guaranteeConfirmDays" BETWEEN 1 AND 90);

-- 账后结算: T1 settles each member's 待结算户 (what it held at the end of the previous day) to its
-- 支付账户 every day; MANUAL leaves it to the platform's 结算 orders.
ALTER TABLE "Application" ADD COLUMN "settlementMode" TEXT NOT NULL DEFAULT 'T1';
ALTER TABLE "Application" ADD CONSTRAINT "Application_settlementMode_known" CHECK ("settlementMode" IN ('T1', 'MANUAL'));
