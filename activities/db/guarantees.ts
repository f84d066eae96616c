/** 担保消费's own step: when a 担保支付's confirmation period ends, what it still holds goes to the receiver. */
import type pg from 'pg';
import type { Clock } from '../../lib/adapters/clock';
import { confirmWhatIsHeld } from '../../lib/business/orders';
import type { PaymentOrderInput } from '../../workflows/payment-order/messages';

export function createGuaranteeActivities(deps: { sql: pg.Pool; clock: Clock }) {
  return {
    /** Places the automatic 担保确认 of the remainder (once: its 商户订单号 is derived from the payment). */
    async confirmGuaranteeRemainder(req: PaymentOrderInput): Promise<{ confirmedFen: number }> {
      return confirmWhatIsHeld(deps.sql, req.orderId, deps.clock.now());
    },
  };
}
