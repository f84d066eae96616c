-- 认证中: an individual's 实名信息 waits for the verification vendor (the flow retries on its own);
-- the note is the last verdict the member did not see on the page (a refusal, or the wait given up).
ALTER TABLE "OnboardingSession" ADD COLUMN "verificationPendingSince" TIMESTAMP(3);
ALTER TABLE "OnboardingSession" ADD COLUMN "verificationNote" TEXT;
CREATE INDEX "OnboardingSession_verificationPendingSince_idx" ON "OnboardingSession" ("verificationPendingSince") WHERE "verificationPendingSince" IS NOT NULL;
