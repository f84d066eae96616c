/**
 * The signing piece every SMS-confirmed signature goes through (onboarding,
 * batch signing links, split-rule parties): the evidence recorded with an
 * agreement. What differs between callers is only how the code was requested.
 */
import { agreementHash } from './document-hashes';
import type { Prisma } from '@prisma/client';
import { AGREEMENTS, type AgreementKind } from '../../domain/agreement';

export interface SignatureEvidence {
  /** The SMS challenge whose code confirmed the signature. */
  smsChallengeId: string;
  signedPhoneMasked: string;
  /** The signer's name, encrypted (field encryption): personal information is never stored in plain text. */
  signerNameEnc: string | null;
  ip: string | null;
  userAgent: string | null;
}

export interface SignatureRecord {
  memberId: string;
  applicationId: string;
  kind: AgreementKind;
  sessionId?: string;
  linkId?: string;
  /** What was agreed beyond the text (a split rule's terms), printed in the PDF. */
  subject?: Prisma.InputJsonValue;
  evidence: SignatureEvidence;
  signedAt: Date;
}

/** The agreement row a signature records: the template's text and version, and the evidence. */
export function agreementOf(r: SignatureRecord) {
  const template = AGREEMENTS[r.kind];
  return {
    memberId: r.memberId,
    applicationId: r.applicationId,
    sessionId: r.sessionId ?? null,
    linkId: r.linkId ?? null,
    kind: template.kind,
    category: template.category,
    title: template.title,
    version: template.version,
    documentHash: agreementHash(template.text),
    signMethod: 'SMS_CODE',
    online: true,
    signerNameEnc: r.evidence.signerNameEnc,
    signedPhoneMasked: r.evidence.signedPhoneMasked,
    smsChallengeId: r.evidence.smsChallengeId,
    ip: r.evidence.ip,
    userAgent: r.evidence.userAgent?.slice(0, 400) ?? null,
    subject: r.subject,
    signedAt: r.signedAt,
  };
}

/** Records a signed agreement inside the caller's transaction; a retry finds the first record. */
export async function recordSignature(tx: Prisma.TransactionClient, r: SignatureRecord) {
  const data = agreementOf(r);
  if (r.linkId) return tx.agreement.upsert({ where: { linkId: r.linkId }, update: {}, create: data });
  if (r.sessionId) {
    return tx.agreement.upsert({
      where: { memberId_kind_sessionId: { memberId: r.memberId, kind: data.kind, sessionId: r.sessionId } },
      update: {},
      create: data,
    });
  }
  return tx.agreement.create({ data });
}
