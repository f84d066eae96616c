/**
 * Split-commission rules (分账抽佣规则): the terms, their validation and the
 * split of an order amount. Amounts are integer fen; ratios are basis points
 * (1 bp = 0.01%), so no floating point touches money.
 */
export type ShareMethod = 'RATIO' | 'FIXED';

export interface Share {
  method: ShareMethod;
  /** basis points for RATIO (10000 = 100%), fen for FIXED */
  value: number;
}

export interface SplitTerms {
  name: string;
  receiverMemberId: string;
  /** Commission the platform takes; null: no commission party (仅维护收款模板). */
  commission: Share | null;
  parties: (Share & { memberId: string })[];
}

export const FULL_RATIO_BP = 10_000;

export interface TermsProblem {
  field: string;
  message: string;
}

/** Rule-level checks beyond field formats: ratios ≤ 100%, no duplicate or self party. */
export function termsProblems(terms: SplitTerms): TermsProblem[] {
  const problems: TermsProblem[] = [];
  const seen = new Set<string>();
  terms.parties.forEach((p, i) => {
    if (p.memberId === terms.receiverMemberId) {
      problems.push({ field: `parties.${i}.memberId`, message: '分账方不能是收款会员本人' });
    }
    if (seen.has(p.memberId)) problems.push({ field: `parties.${i}.memberId`, message: '分账方重复' });
    seen.add(p.memberId);
  });
  const ratioTotal =
    terms.parties.filter((p) => p.method === 'RATIO').reduce((sum, p) => sum + p.value, 0) +
    (terms.commission?.method === 'RATIO' ? terms.commission.value : 0);
  if (ratioTotal > FULL_RATIO_BP) {
    problems.push({ field: 'parties', message: `分账及抽佣比例合计 ${formatRatio(ratioTotal)}，不能超过 100%` });
  }
  return problems;
}

export interface SplitLine {
  memberId: string | null; // null: the platform's commission
  kind: 'SPLIT' | 'COMMISSION';
  amountFen: number;
}

/**
 * Splits an order amount: ratios round down to the fen, fixed amounts are taken
 * as they are, and whatever is left stays with the receiving member. A rule
 * whose shares exceed the amount splits nothing (the order is kept whole).
 */
export function splitAmount(amountFen: number, terms: Pick<SplitTerms, 'commission' | 'parties'>): SplitLine[] {
  const share = (s: Share) => (s.method === 'RATIO' ? Math.floor((amountFen * s.value) / FULL_RATIO_BP) : s.value);
  const lines: SplitLine[] = terms.parties.map((p) => ({ memberId: p.memberId, kind: 'SPLIT', amountFen: share(p) }));
  if (terms.commission) lines.push({ memberId: null, kind: 'COMMISSION', amountFen: share(terms.commission) });
  const total = lines.reduce((sum, l) => sum + l.amountFen, 0);
  return total > amountFen ? [] : lines.filter((l) => l.amountFen > 0);
}

/**
 * What one party agrees to: its own share plus the rule's receiver and commission, as the text
 * whose hash (lib/business/document-hashes.ts) tells whether that party's terms changed.
 */
export function partyTermsSubject(terms: SplitTerms, memberId: string): string {
  const own = terms.parties.find((p) => p.memberId === memberId) ?? null;
  const subject =
    memberId === terms.receiverMemberId
      ? { role: 'RECEIVER', commission: terms.commission, parties: terms.parties }
      : { role: 'SPLIT', receiver: terms.receiverMemberId, commission: terms.commission, own };
  return JSON.stringify(subject);
}

export function formatRatio(bp: number): string {
  return `${(bp / 100).toFixed(2).replace(/\.?0+$/, '')}%`;
}

export function formatFen(fen: number): string {
  return `${(fen / 100).toFixed(2)}元`;
}

export function describeShare(s: Share): string {
  return s.method === 'RATIO' ? `按比例 ${formatRatio(s.value)}` : `固定金额 ${formatFen(s.value)}`;
}
