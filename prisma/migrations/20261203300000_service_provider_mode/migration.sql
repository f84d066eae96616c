-- Service-provider mode of the open API (服务商密钥): the provider's keys, and whether headquarters
-- operations opened provider-identity integration for it (seed 003 §5.3.2).
CREATE TABLE "ServiceProviderCredential" (
  "serviceProviderId" UUID NOT NULL,
  "sm2PublicKey" TEXT,
  "publicKeyUpdatedAt" TIMESTAMP(3),
  "encryptionKeyEnc" TEXT,
  "encryptionKeyUpdatedAt" TIMESTAMP(3),
  "previousEncryptionKeyEnc" TEXT,
  "previousKeyValidUntil" TIMESTAMP(3),
  "openApiEnabledAt" TIMESTAMP(3),
  CONSTRAINT "ServiceProviderCredential_pkey" PRIMARY KEY ("serviceProviderId"),
  CONSTRAINT "ServiceProviderCredential_serviceProviderId_fkey" FOREIGN KEY ("serviceProviderId") REFERENCES "ServiceProvider"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
