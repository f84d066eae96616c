/**
 * 个人信息处理授权 (PIPL) as stored: each consent with its evidence (when, which text — version and
 * SHA-256 —, from which address and browser), and the member's withdrawal. The platform's attestation
 * for the members it imports or migrates is written with those members (activities/db/batch-import.ts).
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { CONSENT_SOURCE_LABELS, type ConsentSource, PERSONAL_INFORMATION_CONSENT, consentTextOf } from '../../domain/personal-information';
import { inTransaction, utc } from '../adapters/db';

/** The fingerprint of what the member was shown: the notice and the consent, of this version. */
export function consentTextHash(text = PERSONAL_INFORMATION_CONSENT): string {
  return createHash('sha256').update(`${text.version}\n${text.notice}\n${text.sensitiveConsent}`).digest('hex');
}

/** The member's own consent in an onboarding (once per onboarding and source: a resubmission keeps the first). */
export async function recordMemberConsent(
  db: pg.Pool | pg.PoolClient,
  c: {
    memberId: string;
    applicationId: string;
    sessionId: string;
    source: Exclude<ConsentSource, 'PLATFORM_ATTESTED'>;
    ip: string | null;
    userAgent: string | null;
    at: Date;
  },
): Promise<void> {
  await db.query({
    name: 'record-member-consent',
    text: `INSERT INTO "PersonalInfoConsent" (id, "memberId", "applicationId", "sessionId", source, version, "textHash", ip, "userAgent", "givenAt")
           VALUES (gen_random_uuid(), $1::uuid, $2::uuid, $3::uuid, $4, $5, $6, $7, $8, ($9::timestamptz AT TIME ZONE 'UTC'))
           ON CONFLICT ("sessionId", source) DO NOTHING`,
    values: [c.memberId, c.applicationId, c.sessionId, c.source, PERSONAL_INFORMATION_CONSENT.version, consentTextHash(), c.ip, c.userAgent, utc(c.at)],
  });
}

/**
 * The member withdraws its consent (PIPL Art. 15): every consent it gave or its platform attested is
 * marked withdrawn, and the member carries the date; what was processed before stays lawful. False
 * when it was withdrawn already.
 */
export async function withdrawConsent(sql: pg.Pool, w: { memberId: string; reason: string; at: Date }): Promise<boolean> {
  return inTransaction(sql, async (db) => {
    const { rowCount } = await db.query({
      text: `UPDATE "Member" SET "consentWithdrawnAt" = ($2::timestamptz AT TIME ZONE 'UTC'), "updatedAt" = ($2::timestamptz AT TIME ZONE 'UTC')
              WHERE id = $1::uuid AND "consentWithdrawnAt" IS NULL`,
      values: [w.memberId, utc(w.at)],
    });
    if (!rowCount) return false;
    await db.query({
      text: `UPDATE "PersonalInfoConsent" SET "withdrawnAt" = ($2::timestamptz AT TIME ZONE 'UTC'), "withdrawReason" = $3 WHERE "memberId" = $1::uuid AND "withdrawnAt" IS NULL`,
      values: [w.memberId, utc(w.at), w.reason],
    });
    return true;
  });
}

/** Whether a recorded fingerprint is that of the released text of its version. */
function isReleasedText(version: string, textHash: string): boolean {
  const text = consentTextOf(version);
  return text !== null && consentTextHash(text) === textHash;
}

/** What a view of the consents reads of each stored one. */
export const CONSENT_VIEW_FIELDS = { source: true, version: true, textHash: true, givenAt: true, withdrawnAt: true } as const;

/**
 * 个人信息授权 as the member and its platform read it: each consent, whether it was withdrawn, and
 * whether the fingerprint it recorded is that of the released text of its version (the text the page
 * shows for it) — false would mean the text was changed after release, or the row was.
 */
export function consentView(member: {
  consentWithdrawnAt: Date | null;
  consents: { source: string; version: string; textHash: string; givenAt: Date; withdrawnAt: Date | null }[];
}) {
  return {
    withdrawnAt: member.consentWithdrawnAt?.toISOString() ?? null,
    consents: member.consents.map((c) => ({
      source: c.source,
      sourceLabel: CONSENT_SOURCE_LABELS[c.source as ConsentSource] ?? c.source,
      version: c.version,
      textVerified: isReleasedText(c.version, c.textHash),
      givenAt: c.givenAt.toISOString(),
      withdrawnAt: c.withdrawnAt?.toISOString() ?? null,
    })),
  };
}
