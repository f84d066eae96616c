-- A regenerated sensitive-field key leaves the old one valid for an overlap window.
ALTER TABLE "ApplicationCredential" ADD COLUMN "previousEncryptionKeyEnc" TEXT;
ALTER TABLE "ApplicationCredential" ADD COLUMN "previousKeyValidUntil" TIMESTAMP(3);

-- Photos a platform uploads by signed request, named later by its proxy onboarding request.
CREATE TABLE "OpenApiUpload" (
  "id" UUID NOT NULL,
  "applicationId" UUID NOT NULL,
  "mimeType" TEXT NOT NULL,
  "size" INTEGER NOT NULL,
  "sha256" TEXT NOT NULL,
  "data" BYTEA NOT NULL,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "OpenApiUpload_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "OpenApiUpload_createdAt_idx" ON "OpenApiUpload"("createdAt");
