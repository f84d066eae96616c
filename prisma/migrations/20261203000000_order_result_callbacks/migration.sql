-- The platform's notify URL of an order placed through the open API, and how its result callback went.
ALTER TABLE "Order" ADD COLUMN "notifyUrl" TEXT;
ALTER TABLE "Order" ADD COLUMN "notifiedAt" TIMESTAMP(3);
ALTER TABLE "Order" ADD COLUMN "notifyAttempts" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Order" ADD COLUMN "notifyError" TEXT;
