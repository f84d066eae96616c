/** Four-element verification (a person's bank card, an enterprise) through the configured provider. */
import { ApplicationFailure } from '@temporalio/common';
import { ERRORS } from '../../domain/errors';
import {
  type BankCardVerifier,
  type EnterpriseElements,
  type EnterpriseVerdict,
  type EnterpriseVerifier,
  type FourElements,
  type VerificationResult,
  type VerifyOptions,
  VerifierUnavailableError,
} from '../../lib/adapters/verification';

/**
 * The vendor's verdict; when the vendor gives none, a retryable failure typed with the error id the
 * API answers (verification.unavailable), never a mismatch.
 */
export function verifyOrRetryLater(verifier: BankCardVerifier, input: FourElements, opts?: VerifyOptions): Promise<VerificationResult> {
  return verdictOrRetryLater(() => verifier.verifyFourElements(input, opts));
}

/** 企业四要素, the same way. */
export function verifyEnterpriseOrRetryLater(verifier: EnterpriseVerifier, input: EnterpriseElements, opts?: VerifyOptions): Promise<EnterpriseVerdict> {
  return verdictOrRetryLater(() => verifier.verifyEnterprise(input, opts));
}

async function verdictOrRetryLater<V>(ask: () => Promise<V>): Promise<V> {
  try {
    return await ask();
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
