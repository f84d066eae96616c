-- 会员门户: member logins (one per member; a phone logs in at most one member) and the phone look-up
-- AlterEnum
ALTER TYPE "SmsPurpose" ADD VALUE 'MEMBER_PORTAL_LOGIN';

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "loginPhoneDigest" TEXT,
ADD COLUMN     "memberId" UUID;

-- CreateIndex
CREATE UNIQUE INDEX "User_memberId_key" ON "User"("memberId");

-- CreateIndex
CREATE UNIQUE INDEX "User_loginPhoneDigest_key" ON "User"("loginPhoneDigest");

-- CreateIndex
CREATE INDEX "Member_boundPhoneDigest_idx" ON "Member"("boundPhoneDigest");

