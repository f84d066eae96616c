-- 担保消费: the days after which what a 担保支付 still holds is confirmed to its receiver by itself.
ALTER TABLE "Application" ADD COLUMN "guaranteeConfirmDays" INTEGER NOT NULL DEFAULT 7;
ALTER TABLE "Application" ADD CONSTRAINT "Application_guaranteeConfirmDays_range" CHECK ("guaranteeConfirmDays" BETWEEN 1 AND 90);
