/** Bank-card four-element verification through the configured provider. */
import type { BankCardVerifier, FourElements, VerificationResult } from '../../lib/adapters/verification';

export function createVerificationActivities(deps: { verifier: BankCardVerifier }) {
  return {
    async verifyFourElements(input: FourElements): Promise<VerificationResult> {
      return deps.verifier.verifyFourElements(input);
    },
  };
}
