/**
 * A bank card as it is stored: the number, holder name and bank-reserved phone sealed by field
 * encryption, the masks the pages show, and the digest a card is looked up by. Every writer of a
 * BankCard row (onboarding, proxy onboarding, batch import) maps a card through here.
 */
import { maskCardNumber, maskPhone } from '../../domain/masking';
import type { FieldCrypto } from '../adapters/field-crypto';

export interface BankCardDetails {
  cardNumber: string;
  holderName: string;
  reservedPhone: string;
}

export function sealedBankCard(crypto: FieldCrypto, card: BankCardDetails, verifiedAt: Date) {
  return {
    cardNumberEnc: crypto.encrypt(card.cardNumber),
    cardNumberMasked: maskCardNumber(card.cardNumber),
    cardDigest: crypto.digest('card', card.cardNumber),
    holderNameEnc: crypto.encrypt(card.holderName),
    reservedPhoneEnc: crypto.encrypt(card.reservedPhone),
    reservedPhoneMasked: maskPhone(card.reservedPhone),
    verifiedAt,
  };
}
