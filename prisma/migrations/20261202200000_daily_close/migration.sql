-- 期末余额 written by the daily close, once per Shanghai business day: which days are closed (a
-- closed day is never written again), and what its check found.
CREATE TABLE "BusinessDayClose" (
    "day" TEXT NOT NULL,
    "closedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "accounts" INTEGER NOT NULL DEFAULT 0,
    "movements" INTEGER NOT NULL DEFAULT 0,
    "mismatches" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "BusinessDayClose_pkey" PRIMARY KEY ("day")
);
CREATE INDEX "Movement_businessDay_idx" ON "Movement"("businessDay");
