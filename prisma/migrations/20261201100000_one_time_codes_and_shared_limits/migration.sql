-- One-time SMS codes: who consumed a code, and scopes locked after a daily cap.
ALTER TABLE "SmsChallenge" ADD COLUMN "consumedBy" TEXT;
CREATE INDEX "SmsChallenge_scope_sentAt_idx" ON "SmsChallenge"("scope", "sentAt");

CREATE TABLE "SmsScopeLock" (
    "scope" TEXT NOT NULL,
    "lockedUntil" TIMESTAMP(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SmsScopeLock_pkey" PRIMARY KEY ("scope")
);

-- Rate limits and login lock-outs shared by every API process.
CREATE TABLE "RateLimitCounter" (
    "key" TEXT NOT NULL,
    "hits" INTEGER NOT NULL,
    "resetAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "RateLimitCounter_pkey" PRIMARY KEY ("key")
);
