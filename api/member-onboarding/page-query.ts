/**
 * Everything the member's onboarding page shows, read in one SQL statement: the session behind
 * the link, its application, the member and the first bank card, whether this device is trusted,
 * the uploads and the last code sent for each purpose. Every member request reads it once before
 * and once after its action, so it is plain SQL (services.sql) rather than several Prisma queries.
 */
import type pg from 'pg';
import type { FundMode } from '../../domain/ledger';
import { isoText } from '../../lib/adapters/db';
import type { MemberType, OnboardingStage } from '@prisma/client';

export interface OnboardingPage {
  id: string;
  memberId: string;
  applicationId: string;
  workflowId: string;
  stage: OnboardingStage;
  stepsDone: string[];
  expiresAt: Date;
  /** 认证中: the 实名信息 waits for the verification vendor; the link does not expire meanwhile. */
  verificationPendingSince: Date | null;
  /** A verdict the page did not show (found by the flow's own retry). */
  verificationNote: string | null;
  applicationName: string;
  fundMode: FundMode;
  member: {
    type: MemberType;
    boundPhoneMasked: string | null;
    legalPhoneMasked: string | null;
    personNameEnc: string | null;
    idNumberMasked: string | null;
    companyName: string | null;
    creditCode: string | null;
    address: string | null;
    businessScope: string | null;
  };
  card: { cardNumberMasked: string; reservedPhoneMasked: string | null } | null;
  deviceTrusted: boolean;
  uploads: { id: string; kind: string; size: number }[];
  lastCodes: Partial<Record<'PHONE_BINDING' | 'AGREEMENT_SIGNING', { sentTo: string; sentAt: string }>>;
}

const PAGE_SQL = `
SELECT s.id, s."memberId", s."applicationId", s."workflowId", s.stage, s."stepsDone", s."expiresAt" AT TIME ZONE 'UTC' AS "expiresAt",
       s."verificationPendingSince" AT TIME ZONE 'UTC' AS "verificationPendingSince", s."verificationNote",
       a.name AS "applicationName", a."fundMode",
       m.type, m."boundPhoneMasked", m."legalPhoneMasked", m."personNameEnc", m."idNumberMasked",
       m."companyName", m."creditCode", m.address, m."businessScope",
       c."cardNumberMasked", c."reservedPhoneMasked",
       EXISTS (SELECT 1 FROM "TrustedDevice" d WHERE d."sessionId" = s.id AND d."deviceHash" = $2) AS "deviceTrusted",
       (SELECT coalesce(json_agg(json_build_object('id', u.id, 'kind', u.kind, 'size', u.size) ORDER BY u."createdAt"), '[]'::json)
          FROM "Upload" u WHERE u."sessionId" = s.id) AS uploads,
       (SELECT coalesce(json_object_agg(x.purpose, json_build_object('sentTo', x."phoneMasked", 'sentAt', ${isoText('x."sentAt"')})), '{}'::json)
          FROM (SELECT DISTINCT ON (ch.purpose) ch.purpose, ch."phoneMasked", ch."sentAt" FROM "SmsChallenge" ch
                 WHERE ch.scope = s.id::text AND ch.purpose IN ('PHONE_BINDING', 'AGREEMENT_SIGNING')
                 ORDER BY ch.purpose, ch."sentAt" DESC) x) AS "lastCodes"
  FROM "OnboardingSession" s
  JOIN "Application" a ON a.id = s."applicationId"
  JOIN "Member" m ON m.id = s."memberId"
  LEFT JOIN LATERAL (SELECT b."cardNumberMasked", b."reservedPhoneMasked" FROM "BankCard" b
                      WHERE b."memberId" = m.id ORDER BY b."createdAt" LIMIT 1) c ON true
 WHERE `;

type Row = Omit<OnboardingPage, 'member' | 'card'> & OnboardingPage['member'] & { cardNumberMasked: string | null; reservedPhoneMasked: string | null };

function toPage(row: Row | undefined): OnboardingPage | null {
  if (!row) return null;
  return {
    id: row.id,
    memberId: row.memberId,
    applicationId: row.applicationId,
    workflowId: row.workflowId,
    stage: row.stage,
    stepsDone: row.stepsDone,
    expiresAt: row.expiresAt,
    verificationPendingSince: row.verificationPendingSince,
    verificationNote: row.verificationNote,
    applicationName: row.applicationName,
    fundMode: row.fundMode,
    member: {
      type: row.type,
      boundPhoneMasked: row.boundPhoneMasked,
      legalPhoneMasked: row.legalPhoneMasked,
      personNameEnc: row.personNameEnc,
      idNumberMasked: row.idNumberMasked,
      companyName: row.companyName,
      creditCode: row.creditCode,
      address: row.address,
      businessScope: row.businessScope,
    },
    card: row.cardNumberMasked ? { cardNumberMasked: row.cardNumberMasked, reservedPhoneMasked: row.reservedPhoneMasked } : null,
    deviceTrusted: row.deviceTrusted,
    uploads: row.uploads,
    lastCodes: row.lastCodes,
  };
}

/** The page behind a link token's hash, as seen from one device. */
export async function pageByTokenHash(sql: pg.Pool, tokenHash: string, deviceHash: string): Promise<OnboardingPage | null> {
  const { rows } = await sql.query<Row>({ name: 'onboarding-page-by-token', text: `${PAGE_SQL}s."tokenHash" = $1`, values: [tokenHash, deviceHash] });
  return toPage(rows[0]);
}

/** The same page by session id (after an action, which does not change the token). */
export async function pageBySession(sql: pg.Pool, sessionId: string, deviceHash: string): Promise<OnboardingPage> {
  const { rows } = await sql.query<Row>({ name: 'onboarding-page-by-session', text: `${PAGE_SQL}s.id = $1::uuid`, values: [sessionId, deviceHash] });
  const page = toPage(rows[0]);
  if (!page) throw new Error(`onboarding session ${sessionId} vanished`);
  return page;
}
