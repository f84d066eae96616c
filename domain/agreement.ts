import { MEMBER_AGREEMENT } from './onboarding';

/**
 * The text of the member service agreement signed at the end of onboarding.
 * Its SHA-256 is recorded with every signature, so a later change of the text
 * never changes what a member is recorded to have signed.
 */
export const MEMBER_AGREEMENT_TEXT = `${MEMBER_AGREEMENT.title}（版本 ${MEMBER_AGREEMENT.version}）

一、会员同意通过平台开立云商通会员账户，并授权平台及通联支付为其提供账户、支付、分账及结算服务。
二、会员保证所提交的身份信息、银行卡信息及证照资料真实、准确、完整、有效。
三、会员通过短信验证码确认签署本协议，与书面签署具有同等法律效力。
四、会员应妥善保管绑定手机号及短信验证码，因泄露造成的损失由会员自行承担。
五、本协议自会员短信验证通过之时起生效。`;
