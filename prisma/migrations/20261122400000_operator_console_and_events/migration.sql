-- AlterEnum
ALTER TYPE "SigningBatchStatus" ADD VALUE 'CANCELLED';

-- CreateTable
CREATE TABLE "FlowInstance" (
    "workflowId" TEXT NOT NULL,
    "flow" TEXT NOT NULL,
    "businessKey" TEXT NOT NULL,
    "applicationId" UUID,
    "memberId" UUID,
    "stage" TEXT NOT NULL,
    "stageLabel" TEXT NOT NULL,
    "waitingFor" TEXT NOT NULL,
    "deadline" TIMESTAMP(3),
    "closed" BOOLEAN NOT NULL DEFAULT false,
    "searchText" TEXT NOT NULL DEFAULT '',
    "lastError" TEXT,
    "lastErrorAt" TIMESTAMP(3),
    "failingStep" TEXT,
    "retryable" BOOLEAN NOT NULL DEFAULT false,
    "version" BIGINT NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stageSince" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FlowInstance_pkey" PRIMARY KEY ("workflowId")
);

-- CreateTable
CREATE TABLE "MemberEvent" (
    "id" BIGSERIAL NOT NULL,
    "applicationId" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "bizUserId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MemberEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Webhook" (
    "applicationId" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "secretEnc" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "deliveredThrough" BIGINT NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Webhook_pkey" PRIMARY KEY ("applicationId")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" BIGSERIAL NOT NULL,
    "applicationId" UUID NOT NULL,
    "eventId" BIGINT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "url" TEXT NOT NULL,
    "statusCode" INTEGER,
    "error" TEXT,
    "durationMs" INTEGER NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "FlowInstance_updatedAt_idx" ON "FlowInstance"("updatedAt");

-- CreateIndex
CREATE INDEX "FlowInstance_flow_updatedAt_idx" ON "FlowInstance"("flow", "updatedAt");

-- CreateIndex
CREATE INDEX "FlowInstance_applicationId_updatedAt_idx" ON "FlowInstance"("applicationId", "updatedAt");

-- CreateIndex
CREATE INDEX "FlowInstance_closed_stageSince_idx" ON "FlowInstance"("closed", "stageSince");

-- CreateIndex
CREATE INDEX "MemberEvent_applicationId_id_idx" ON "MemberEvent"("applicationId", "id");

-- CreateIndex
CREATE INDEX "WebhookDelivery_applicationId_id_idx" ON "WebhookDelivery"("applicationId", "id");

-- CreateIndex
CREATE INDEX "WebhookDelivery_eventId_idx" ON "WebhookDelivery"("eventId");


-- Search by name, member number or masked phone anywhere in the text: trigram index.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "FlowInstance_searchText_trgm_idx" ON "FlowInstance" USING gin ("searchText" gin_trgm_ops);

-- Onboardings started before the console had its read model.
INSERT INTO "FlowInstance" ("workflowId", "flow", "businessKey", "applicationId", "memberId", "stage", "stageLabel",
  "waitingFor", "deadline", "closed", "searchText", "startedAt", "stageSince", "updatedAt")
SELECT s."workflowId", 'member-onboarding', a."appNo" || '/' || m."bizUserId", s."applicationId", s."memberId", s."stage"::text,
  CASE s."stage"::text WHEN 'CONFIRMATION' THEN '待会员确认' WHEN 'INFORMATION' THEN '信息采集' WHEN 'PHONE_BINDING' THEN '手机绑定'
    WHEN 'AGREEMENT_SIGNING' THEN '协议签约' WHEN 'COMPLETED' THEN '开户完成' WHEN 'EXPIRED' THEN '链接已过期' ELSE '已取消' END,
  CASE WHEN s."stage"::text IN ('COMPLETED', 'EXPIRED', 'CANCELLED') THEN 'NOBODY' ELSE 'MEMBER' END,
  s."expiresAt", s."stage"::text IN ('COMPLETED', 'EXPIRED', 'CANCELLED'),
  lower(a."appNo" || ' ' || a."name" || ' ' || m."bizUserId" || ' ' || m."displayName" || ' ' || coalesce(m."boundPhoneMasked", m."legalPhoneMasked", '')),
  s."createdAt", s."updatedAt", s."updatedAt"
FROM "OnboardingSession" s JOIN "Member" m ON m.id = s."memberId" JOIN "Application" a ON a.id = s."applicationId"
ON CONFLICT DO NOTHING;
