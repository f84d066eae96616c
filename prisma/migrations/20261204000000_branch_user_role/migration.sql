-- 分公司业务人员 (branch user): records new customers (应用开通) and files member migrations for its
-- branch; the four-eyes decisions stay with the reviewers. Existing users keep their roles.
ALTER TYPE "Role" ADD VALUE IF NOT EXISTS 'BRANCH_USER';
