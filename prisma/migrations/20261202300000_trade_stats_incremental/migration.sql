-- 数据概览 refreshed incrementally: the database time up to which order changes were counted.
CREATE TABLE "TradeStatRefresh" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "countedUpTo" TIMESTAMPTZ NOT NULL,

    CONSTRAINT "TradeStatRefresh_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "TradeStatRefresh_one_row" CHECK ("id" = 1)
);
CREATE INDEX "Order_updatedAt_idx" ON "Order"("updatedAt");
