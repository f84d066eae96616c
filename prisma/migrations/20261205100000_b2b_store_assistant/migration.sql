-- 小程序B2B门店助手 (portal manual §1.3.1): the payment merchant an application that opened the store
-- assistant has at the channel, and when its AppKey was last configured there (only a masked form is kept).
ALTER TABLE "Application" ADD COLUMN "b2bMerchantNo" TEXT;
ALTER TABLE "Application" ADD COLUMN "b2bAppKeyMasked" TEXT;
ALTER TABLE "Application" ADD COLUMN "b2bAppKeyUpdatedAt" TIMESTAMP(3);
