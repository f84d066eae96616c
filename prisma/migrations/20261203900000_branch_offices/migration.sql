-- 分公司 (branch offices): every application belongs to one; a staff user belongs to one (a branch
-- user or reviewer, who sees only that branch's applications, queues and migrations) or to none
-- (headquarters, who sees all). Existing applications go to the branch 总部直属 (code HQ), whose id is
-- also the default of a new application; existing staff stay headquarters staff.
CREATE TABLE "Branch" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Branch_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Branch_code_key" ON "Branch"("code");
CREATE UNIQUE INDEX "Branch_name_key" ON "Branch"("name");
INSERT INTO "Branch" (id, code, name) VALUES ('00000000-0000-4000-8000-000000000001', 'HQ', '总部直属');

ALTER TABLE "Application" ADD COLUMN "branchId" UUID NOT NULL DEFAULT '00000000-0000-4000-8000-000000000001';
ALTER TABLE "Application" ADD CONSTRAINT "Application_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "Branch"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
CREATE INDEX "Application_branchId_idx" ON "Application"("branchId");

ALTER TABLE "User" ADD COLUMN "branchId" UUID;
ALTER TABLE "User" ADD CONSTRAINT "User_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "Branch"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
