-- The order movements were booked in: an account's running balance (balanceAfterFen) follows it, so
-- 账户明细 lists by it. Several movements of one order share their instant, and a late channel result
-- is booked after orders stamped later; the instant alone cannot order them.
ALTER TABLE "Movement" ADD COLUMN "seq" BIGSERIAL;
CREATE INDEX "Movement_accountId_seq_idx" ON "Movement"("accountId", "seq");
