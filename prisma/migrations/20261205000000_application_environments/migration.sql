-- Application environments (seed 003 §5.3.1): each customer's application has a test environment,
-- made at 自动开通配置, and a production environment, made when 上线投产 is approved — each with
-- its own application number, login, keys and data. Applications made before are production.
CREATE TYPE "ApplicationEnvironment" AS ENUM ('TEST', 'PRODUCTION');

ALTER TABLE "Application" ADD COLUMN "environment" "ApplicationEnvironment" NOT NULL DEFAULT 'PRODUCTION';

ALTER TABLE "ApplicationOnboarding" ADD COLUMN "testApplicationId" UUID;
ALTER TABLE "ApplicationOnboarding" ADD COLUMN "pendingTestPasswordEnc" TEXT;
CREATE UNIQUE INDEX "ApplicationOnboarding_testApplicationId_key" ON "ApplicationOnboarding"("testApplicationId");
