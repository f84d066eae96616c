/** The SHA-256 fingerprints recorded with signatures: of an agreement's text, and of one split party's terms. */
import { createHash } from 'node:crypto';
import { type SplitTerms, partyTermsSubject } from '../../domain/split';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Recorded with every signature, so a later change of a text never changes what was signed. */
export function agreementHash(text: string): string {
  return sha256(text);
}

/** Changes exactly when what this party agrees to changes (its share, the receiver, the commission). */
export function partyTermsHash(terms: SplitTerms, memberId: string): string {
  return sha256(partyTermsSubject(terms, memberId));
}
