/**
 * 银行卡查询 (portal manual §1.4.3): the cards the application's members have bound — 对公户 (bound
 * by the small-deposit verification) and 对私户 (verified by four elements) — each with whether its
 * member has signed (已签约: the 会员服务协议 signed at the end of onboarding; members imported or
 * migrated with a card have not, until they sign).
 */
import type { AppDeps, Actor } from '../context';
import { applicationScope } from '../context';
import { pageOf } from '../pagination';
import type { ListBankCardsInput } from './schemas';
import { isoText } from '../../lib/adapters/db';
import { nameDigestOf } from '../../lib/business/person-names';

interface BankCardRow {
  id: string;
  memberId: string;
  bizUserId: string;
  memberType: 'INDIVIDUAL' | 'ENTERPRISE';
  memberName: string;
  memberStatus: string;
  cardNumber: string;
  bankName: string | null;
  corporate: boolean;
  reservedPhone: string | null;
  verifiedAt: string;
  signedAt: string | null;
  total: string;
}

export async function listBankCards(deps: AppDeps, actor: Actor, input: ListBankCardsInput) {
  const { sql, crypto } = deps.services;
  const where: string[] = ['m."applicationId" = $1::uuid'];
  const values: unknown[] = [applicationScope(actor)];
  const param = (v: unknown) => `$${values.push(v)}`;
  if (input.kind) where.push(`c.corporate = ${param(input.kind === 'CORPORATE')}::boolean`);
  if (input.signed !== undefined) where.push(`${input.signed ? '' : 'NOT '}EXISTS (SELECT 1 FROM signed WHERE signed."memberId" = m.id)`);
  if (input.keyword) {
    const keyword = input.keyword;
    const like = param(`%${keyword.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    const lastFour = /^\d{4}$/.test(keyword) ? ` OR c."cardNumberMasked" LIKE ${param(`%${keyword}`)}` : '';
    where.push(`(m."bizUserId" ILIKE ${like} OR m."displayName" ILIKE ${like} OR m."nameDigest" = ${param(nameDigestOf(crypto, keyword))}${lastFour})`);
  }
  const limit = param(input.pageSize);
  const offset = param((input.page - 1) * input.pageSize);
  const { rows } = await sql.query<BankCardRow>(
    `WITH signed AS (
       SELECT a."memberId", max(a."signedAt") AS "signedAt" FROM "Agreement" a
        WHERE a.kind = 'MEMBER_SERVICE' AND a.status = 'VALID' AND a."memberId" IN (SELECT id FROM "Member" WHERE "applicationId" = $1::uuid)
        GROUP BY a."memberId")
     SELECT c.id, c."memberId", m."bizUserId", m.type AS "memberType", m."displayName" AS "memberName", m.status AS "memberStatus",
            c."cardNumberMasked" AS "cardNumber", c."bankName", c.corporate, c."reservedPhoneMasked" AS "reservedPhone",
            ${isoText('c."verifiedAt"')} AS "verifiedAt", ${isoText('s."signedAt"')} AS "signedAt", count(*) OVER () AS total
       FROM "BankCard" c JOIN "Member" m ON m.id = c."memberId" LEFT JOIN signed s ON s."memberId" = m.id
      WHERE ${where.join(' AND ')}
      ORDER BY c."createdAt" DESC, c.id
      LIMIT ${limit} OFFSET ${offset}`,
    values,
  );
  const total = rows[0] ? Number(rows[0].total) : 0;
  return pageOf(input, total, rows, ({ total: _total, signedAt, ...card }) => ({ ...card, signed: signedAt !== null, signedAt }));
}
