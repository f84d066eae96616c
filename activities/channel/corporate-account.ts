/**
 * The corporate account verification's steps (workflows/corporate-account): the deposit through
 * the payment channel, the enterprise's answer checked against it, and the account bound as the
 * member's 对公户 when it is right. The amount is derived from the deposit number with the field
 * key (never stored); every step is idempotent.
 */
import type pg from 'pg';
import { inTransaction, utc } from '../../lib/adapters/db';
import type { Clock } from '../../lib/adapters/clock';
import type { FieldCrypto } from '../../lib/adapters/field-crypto';
import type { ChannelResult, PaymentChannel } from '../../lib/adapters/payment-channel';
import { BusinessError } from '../../domain/errors';
import { depositAmountFen } from '../../domain/corporate-accounts';

const NOW_UTC = `(now() AT TIME ZONE 'UTC')`;

export interface DepositAnswer {
  status: ChannelResult['status'];
  failureReason: string | null;
}

interface VerificationRow {
  id: string;
  memberId: string;
  depositNo: string;
  accountNoEnc: string;
  accountNoMasked: string;
  accountDigest: string;
  bankName: string;
  accountName: string;
  status: string;
  triesLeft: number;
  bankCardId: string | null;
}

/** What the enterprise sent matches the deposit (the same derivation the deposit used). */
export function depositAmountOf(crypto: FieldCrypto, depositNo: string): number {
  return depositAmountFen(Buffer.from(crypto.digest('deposit-amount', depositNo), 'base64url').readUInt32BE(0));
}

export function createCorporateAccountActivities(deps: { sql: pg.Pool; crypto: FieldCrypto; channel: PaymentChannel; clock: Clock }) {
  const { sql, crypto, channel } = deps;

  async function verification(db: pg.Pool | pg.PoolClient, id: string, lock = false): Promise<VerificationRow> {
    const { rows } = await db.query<VerificationRow>(
      `SELECT id, "memberId", "depositNo", "accountNoEnc", "accountNoMasked", "accountDigest", "bankName", "accountName", status, "triesLeft", "bankCardId"
         FROM "CorporateAccountVerification" WHERE id = $1::uuid${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    if (!rows[0]) throw new Error(`corporate account verification ${id} not found`);
    return rows[0];
  }
  const answerOf = (r: ChannelResult | null): DepositAnswer =>
    r ? { status: r.status, failureReason: r.failureReason } : { status: 'FAILED', failureReason: '支付渠道未收到打款' };

  return {
    /** 打款: the channel knows the deposit by its number, so a resend is the same transaction. */
    async sendSmallDeposit(req: { verificationId: string }): Promise<DepositAnswer> {
      const v = await verification(sql, req.verificationId);
      const answer = await channel.submit({
        merchantOrderNo: v.depositNo,
        kind: 'DEPOSIT',
        amountFen: BigInt(depositAmountOf(crypto, v.depositNo)),
        paymentMethod: null,
        cardNumber: crypto.decrypt(v.accountNoEnc),
      });
      return answerOf(answer);
    },

    async queryDepositAtChannel(req: { verificationId: string }): Promise<DepositAnswer> {
      const v = await verification(sql, req.verificationId);
      return answerOf(await channel.query(v.depositNo));
    },

    async closeDepositAtChannel(req: { verificationId: string }): Promise<DepositAnswer> {
      const v = await verification(sql, req.verificationId);
      return answerOf(await channel.close(v.depositNo));
    },

    /** The deposit arrived: the enterprise may confirm its amount until `confirmBy` (workflow time). */
    async awaitDepositConfirmation(req: { verificationId: string; confirmBy: string }): Promise<void> {
      await sql.query(
        `UPDATE "CorporateAccountVerification" SET status = 'AWAITING_CONFIRMATION', "confirmBy" = ($2::timestamptz AT TIME ZONE 'UTC'), "updatedAt" = ${NOW_UTC}
          WHERE id = $1::uuid AND status = 'DEPOSITING'`,
        [req.verificationId, utc(deps.clock.fromSystemTime(req.confirmBy))],
      );
    },

    /**
     * The enterprise's answer: right binds the account (one transaction), wrong costs a try, the
     * last wrong one fails the verification. A retried check of an answer already taken changes nothing.
     */
    async checkDepositAmount(req: { verificationId: string; amountFen: number }): Promise<{ outcome: 'VERIFIED' | 'WRONG' | 'FAILED'; triesLeft: number }> {
      return inTransaction(sql, async (db) => {
        const v = await verification(db, req.verificationId, true);
        if (v.status === 'VERIFIED') return { outcome: 'VERIFIED', triesLeft: v.triesLeft };
        if (v.status === 'FAILED') return { outcome: 'FAILED', triesLeft: 0 };
        if (v.status !== 'AWAITING_CONFIRMATION') throw new BusinessError('flow.finished');
        if (req.amountFen !== depositAmountOf(crypto, v.depositNo)) {
          const triesLeft = v.triesLeft - 1;
          await db.query(
            `UPDATE "CorporateAccountVerification" SET "triesLeft" = $2, status = $3::"CorporateAccountStatus", "failureReason" = $4, "updatedAt" = ${NOW_UTC} WHERE id = $1::uuid`,
            [v.id, triesLeft, triesLeft > 0 ? 'AWAITING_CONFIRMATION' : 'FAILED', triesLeft > 0 ? null : '打款金额错误次数过多'],
          );
          return { outcome: triesLeft > 0 ? 'WRONG' : 'FAILED', triesLeft };
        }
        // The member's 对公户: the company's own account, verified now.
        const { rows } = await db.query<{ id: string }>(
          `INSERT INTO "BankCard" (id, "memberId", "cardNumberEnc", "cardNumberMasked", "cardDigest", "holderNameEnc", corporate, "bankName", "verifiedAt")
           VALUES (gen_random_uuid(), $1::uuid, $2, $3, $4, $5, true, $6, ($7::timestamptz AT TIME ZONE 'UTC'))
           ON CONFLICT ("memberId", "cardDigest") DO UPDATE SET corporate = true, "bankName" = EXCLUDED."bankName", "verifiedAt" = EXCLUDED."verifiedAt"
           RETURNING id`,
          [v.memberId, v.accountNoEnc, v.accountNoMasked, v.accountDigest, crypto.encrypt(v.accountName), v.bankName, utc(deps.clock.now())],
        );
        await db.query(`UPDATE "CorporateAccountVerification" SET status = 'VERIFIED', "bankCardId" = $2::uuid, "updatedAt" = ${NOW_UTC} WHERE id = $1::uuid`, [
          v.id,
          rows[0]!.id,
        ]);
        return { outcome: 'VERIFIED', triesLeft: v.triesLeft };
      });
    },

    /** Ends a verification that bound nothing (a refused deposit, the deadline, an operator's 取消). */
    async finishCorporateAccount(req: {
      verificationId: string;
      stage: 'VERIFIED' | 'FAILED' | 'EXPIRED' | 'CANCELLED';
      reason: string | null;
    }): Promise<void> {
      if (req.stage === 'VERIFIED') return;
      await sql.query(
        `UPDATE "CorporateAccountVerification" SET status = $2::"CorporateAccountStatus", "failureReason" = $3, "updatedAt" = ${NOW_UTC}
          WHERE id = $1::uuid AND status IN ('DEPOSITING', 'AWAITING_CONFIRMATION')`,
        [req.verificationId, req.stage, req.reason],
      );
    },
  };
}
