-- Orders through the payment channel: their lifecycle (CREATED → PROCESSING → SUCCESS | FAILED |
-- CLOSED), the request they were made with (exactly once per 商户订单号), and money a member's
-- order is waiting on (a 提现 reserves what it takes out until the channel decides).
ALTER TABLE "Order" ADD COLUMN "requestHash" TEXT;
ALTER TABLE "Order" ADD COLUMN "failureReason" TEXT;
ALTER TABLE "Order" ADD COLUMN "finishedAt" TIMESTAMP(3);
ALTER TABLE "Order" ADD COLUMN "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
ALTER TABLE "Order" ADD COLUMN "workflowId" TEXT;
ALTER TABLE "Order" ADD COLUMN "cardId" UUID;
CREATE INDEX "Order_applicationId_status_idx" ON "Order"("applicationId", status);

ALTER TABLE "Account" ADD COLUMN "reservedFen" BIGINT NOT NULL DEFAULT 0;
ALTER TABLE "Account" ADD CONSTRAINT "Account_reserved_not_negative" CHECK ("reservedFen" >= 0);
-- A member's 支付账户 never pays out more than it holds (NOT VALID: rows written before are not re-checked).
ALTER TABLE "Account" ADD CONSTRAINT "Account_payment_no_overdraft" CHECK ("memberId" IS NULL OR kind <> 'PAYMENT' OR "balanceFen" >= "reservedFen") NOT VALID;
