-- F7: the return window's deadline, for the branch's page
-- AlterTable
ALTER TABLE "ApplicationOnboarding" ADD COLUMN     "resubmitBy" TIMESTAMP(3);

