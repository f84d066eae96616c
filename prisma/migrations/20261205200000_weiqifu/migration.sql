-- 微企付 (portal manual §1.3.2): the payment merchant an application that opened 微企付 has at the channel.
ALTER TABLE "Application" ADD COLUMN "weiqifuMerchantNo" TEXT;
