-- 人员管理: a staff user disabled by a headquarters operator cannot sign in (its sessions were ended).
ALTER TABLE "User" ADD COLUMN "disabledAt" TIMESTAMP(3);
ALTER TABLE "User" ADD COLUMN "disabledReason" TEXT;
