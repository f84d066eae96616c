/**
 * Bank-card four-element verification (name, ID number, card number, bank-reserved
 * phone). A pluggable provider: production plugs in the acquiring bank's service.
 */
export interface FourElements {
  name: string;
  idNumber: string;
  cardNumber: string;
  phone: string;
}

export type FourElementElement = 'name' | 'idNumber' | 'cardNumber' | 'phone';

export type VerificationResult = { ok: true } | { ok: false; element: FourElementElement | null; reason: string };

export interface BankCardVerifier {
  verifyFourElements(input: FourElements): Promise<VerificationResult>;
}

/**
 * The bundled verifier: local and deterministic, so demos and tests behave the same
 * everywhere. The bank's answer depends only on the card number's prefix
 * (documented in the README with ready-made test cards):
 *   622202 0000… → the name does not match      622203 0000… → the ID number does not match
 *   622204 0000… → the phone does not match     622205 0000… → the card is unknown or closed
 * Every other valid card matches whatever is presented.
 */
export const TEST_CARD_PREFIXES: Record<string, { element: FourElementElement; reason: string }> = {
  '6222020000': { element: 'name', reason: '持卡人姓名与银行预留信息不一致' },
  '6222030000': { element: 'idNumber', reason: '证件号与银行预留信息不一致' },
  '6222040000': { element: 'phone', reason: '手机号与银行预留手机号不一致' },
  '6222050000': { element: 'cardNumber', reason: '银行卡不存在或已销户' },
};

export function createLocalVerifier(): BankCardVerifier {
  return {
    async verifyFourElements({ cardNumber }) {
      const hit = TEST_CARD_PREFIXES[cardNumber.slice(0, 10)];
      return hit ? { ok: false, ...hit } : { ok: true };
    },
  };
}
