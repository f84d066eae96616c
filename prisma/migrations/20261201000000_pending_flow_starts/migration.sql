-- Workflow starts whose outcome was unknown, for the reconciler to settle
-- CreateTable
CREATE TABLE "PendingFlowStart" (
    "workflowId" TEXT NOT NULL,
    "workflowType" TEXT NOT NULL,
    "what" TEXT NOT NULL,
    "optionsEnc" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PendingFlowStart_pkey" PRIMARY KEY ("workflowId")
);
