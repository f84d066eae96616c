-- Open API requests that create or change something, by the platform's request id: the answer is
-- kept (encrypted: it may hold an onboarding link) so a retried request gets it again, once.
CREATE TABLE "OpenApiRequest" (
  "appNo" TEXT NOT NULL,
  "requestId" TEXT NOT NULL,
  "requestHash" TEXT NOT NULL,
  "status" INTEGER,
  "answerEnc" TEXT,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "OpenApiRequest_pkey" PRIMARY KEY ("appNo", "requestId")
);
CREATE INDEX "OpenApiRequest_createdAt_idx" ON "OpenApiRequest"("createdAt");
