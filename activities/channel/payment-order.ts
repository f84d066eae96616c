/**
 * Activities of an order's flow through the payment channel: each asks the channel, then records
 * what it answered (lib/business/orders.ts applies a decision once, so a retried activity books
 * nothing twice; the channel takes a resent transaction as the same one).
 */
import type pg from 'pg';
import type { Clock } from '../../lib/adapters/clock';
import type { FieldCrypto } from '../../lib/adapters/field-crypto';
import type { ChannelResult, PaymentChannel } from '../../lib/adapters/payment-channel';
import { markProcessing, orderById, settleOrder, termsOf } from '../../lib/business/orders';
import { channelDirection } from '../../domain/orders';
import type { PaymentOrderInput, PaymentOrderOutcome } from '../../workflows/payment-order/messages';

type ChannelAnswer = 'PROCESSING' | PaymentOrderOutcome;

export function createPaymentOrderActivities(deps: { sql: pg.Pool; channel: PaymentChannel; crypto: FieldCrypto; clock: Clock }) {
  const { sql, channel } = deps;

  /** Records a final answer of the channel; PROCESSING records nothing. */
  async function record(orderId: string, r: ChannelResult): Promise<ChannelAnswer> {
    const { status } = r;
    if (status === 'PROCESSING') return 'PROCESSING';
    return (await settleOrder(sql, orderId, { ...r, status }, deps.clock.now())) as PaymentOrderOutcome;
  }

  async function decided(orderId: string): Promise<PaymentOrderOutcome | null> {
    const o = await orderById(sql, orderId);
    if (!o) throw new Error(`order ${orderId} not found`);
    return o.status === 'SUCCESS' || o.status === 'FAILED' || o.status === 'CLOSED' ? o.status : null;
  }

  return {
    /** Sends the order to the channel (once: the channel answers a resend with the same transaction). */
    async sendOrderToChannel(req: PaymentOrderInput): Promise<ChannelAnswer> {
      const done = await decided(req.orderId);
      if (done) return done;
      const o = (await orderById(sql, req.orderId))!;
      const direction = channelDirection(termsOf(o))!;
      let cardNumber: string | undefined;
      if (direction === 'PAYOUT') {
        const { rows } = await sql.query<{ cardNumberEnc: string }>(`SELECT "cardNumberEnc" FROM "BankCard" WHERE id = $1::uuid`, [o.cardId]);
        cardNumber = rows[0] ? deps.crypto.decrypt(rows[0].cardNumberEnc) : undefined;
      }
      const answer = await channel.submit({
        merchantOrderNo: o.orderNo,
        kind: direction,
        amountFen: BigInt(o.amountFen),
        paymentMethod: o.paymentMethod,
        cardNumber,
      });
      // 请求渠道流水号: what this product called the transaction at the channel.
      await markProcessing(sql, o.id, answer, `REQ${o.orderNo.slice(3)}`);
      return record(o.id, answer);
    },

    /** Asks the channel how the order stands; a decision is recorded. */
    async queryOrderAtChannel(req: PaymentOrderInput): Promise<ChannelAnswer> {
      const done = await decided(req.orderId);
      if (done) return done;
      const answer = await channel.query(req.orderNo);
      return answer ? record(req.orderId, answer) : 'PROCESSING';
    },

    /** The channel did not decide in time: it closes the transaction, unless it decided meanwhile. */
    async closeOrderAtChannel(req: PaymentOrderInput): Promise<PaymentOrderOutcome> {
      const done = await decided(req.orderId);
      if (done) return done;
      const answer = await channel.close(req.orderNo);
      const status = answer && answer.status !== 'PROCESSING' ? answer.status : 'CLOSED';
      return (await settleOrder(sql, req.orderId, { ...answer, status }, deps.clock.now())) as PaymentOrderOutcome;
    },
  };
}
