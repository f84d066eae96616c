/** Bank-card four-element verification through the configured provider. */
import { ApplicationFailure } from '@temporalio/common';
import { ERRORS } from '../../domain/errors';
import {
  type BankCardVerifier,
  type FourElements,
  type VerificationResult,
  type VerifyOptions,
  VerifierUnavailableError,
} from '../../lib/adapters/verification';

/**
 * The vendor's verdict; when the vendor gives none, a retryable failure typed with the error id the
 * API answers (verification.unavailable), never a mismatch.
 */
export async function verifyOrRetryLater(verifier: BankCardVerifier, input: FourElements, opts?: VerifyOptions): Promise<VerificationResult> {
  try {
    return await verifier.verifyFourElements(input, opts);
  } catch (err) {
    // The member reads the product's message; the vendor's own stays in the failure's cause (the flow's history).
    if (err instanceof VerifierUnavailableError)
      throw ApplicationFailure.create({
        type: 'verification.unavailable',
        message: ERRORS['verification.unavailable'].message,
        cause: err,
        nonRetryable: false,
      });
    throw err;
  }
}

export function createVerificationActivities(deps: { verifier: BankCardVerifier }) {
  return {
    async verifyFourElements(input: FourElements): Promise<VerificationResult> {
      return verifyOrRetryLater(deps.verifier, input);
    },
  };
}
