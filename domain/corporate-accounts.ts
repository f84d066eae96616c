/**
 * 对公户验证 (corporate account verification by small deposit): the platform sends a few fen to the
 * enterprise's corporate account; the enterprise reads the amount on its bank statement and
 * confirms it within the deadline, with a limited number of tries. Only an account in the
 * company's own name is taken.
 */

export type CorporateAccountStage = 'DEPOSITING' | 'AWAITING_CONFIRMATION' | 'VERIFIED' | 'FAILED' | 'EXPIRED' | 'CANCELLED';

export const CORPORATE_ACCOUNT_STAGE_LABELS: Record<CorporateAccountStage, string> = {
  DEPOSITING: '打款中',
  AWAITING_CONFIRMATION: '待确认打款金额',
  VERIFIED: '已验证',
  FAILED: '验证失败',
  EXPIRED: '已过期',
  CANCELLED: '已取消',
};

/** The enterprise confirms the amount within this many hours of the deposit arriving. */
export const DEPOSIT_CONFIRM_HOURS = 72;
/** Wrong amounts allowed before the verification fails (a new one may be started). */
export const DEPOSIT_TRIES = 3;

/** 0.01–0.99 yuan, from the first 32 bits of a keyed digest of the deposit number (never stored, reproducible). */
export function depositAmountFen(digestBits: number): number {
  return 1 + (digestBits % 99);
}

/** An amount as the enterprise types it: 0.23, 0.5 or ¥0.05 → fen; anything else is not an amount of a deposit. */
export function parseDepositAmount(text: string): number | null {
  const m = /^\s*[¥￥]?\s*0?\.(\d{1,2})\s*(元)?\s*$/.exec(text);
  if (!m) return null;
  const fen = Number(m[1]!.padEnd(2, '0'));
  return fen >= 1 && fen <= 99 ? fen : null;
}

/** 户名 = company name: compared without spaces, with full-width and half-width brackets alike. */
export function sameAccountName(accountName: string, companyName: string): boolean {
  const norm = (s: string) => s.replace(/\s+/g, '').replace(/（/g, '(').replace(/）/g, ')');
  return norm(accountName) === norm(companyName);
}
