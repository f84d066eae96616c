import fc from 'fast-check';
import { canMove, channelDirection, holdsOf, refundReversal, successPostings } from './orders';
import type { SplitLine } from './split';

describe('orders', () => {
  it('move only forward: decided orders never change', () => {
    expect(canMove('CREATED', 'PROCESSING')).toBe(true);
    expect(canMove('PROCESSING', 'CLOSED')).toBe(true);
    for (const to of ['CREATED', 'PROCESSING', 'SUCCESS', 'FAILED', 'CLOSED'] as const) {
      expect(canMove('SUCCESS', to) || canMove('FAILED', to) || canMove('CLOSED', to)).toBe(false);
    }
    expect(canMove('CREATED', 'CLOSED')).toBe(false);
  });

  it('go through the channel when a card is involved; balance payments are decided at once', () => {
    expect(channelDirection({ kind: 'TOP_UP', paymentMethod: 'QUICK_PAY' })).toBe('COLLECT');
    expect(channelDirection({ kind: 'CONSUMPTION', paymentMethod: 'BALANCE' })).toBeNull();
    expect(channelDirection({ kind: 'WITHDRAWAL', paymentMethod: null })).toBe('PAYOUT');
    expect(channelDirection({ kind: 'REFUND', paymentMethod: 'WECHAT' })).toBe('REFUND');
    expect(channelDirection({ kind: 'REFUND', paymentMethod: 'BALANCE' })).toBeNull();
    expect(channelDirection({ kind: 'TRANSFER', paymentMethod: 'BALANCE' })).toBeNull();
  });

  it('refunds in any number of parts give back every split line and the fee exactly, never more (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 3000 }),
        (paid, weights, bpA, bpC) => {
          const lines = [
            { memberId: 'a', kind: 'SPLIT' as const, amountFen: Math.floor((paid * bpA) / 10_000) },
            { memberId: null, kind: 'COMMISSION' as const, amountFen: Math.floor((paid * bpC) / 10_000) },
          ].filter((l) => l.amountFen > 0);
          const fee = Math.floor((paid * 60) / 10_000);
          // Parts in proportion to the weights, the last one taking what is left.
          const total = weights.reduce((s, w) => s + w, 0);
          let left = paid;
          const parts: number[] = [];
          weights.forEach((w, i) => {
            const part = i === weights.length - 1 ? left : Math.min(left, Math.floor((paid * w) / total));
            parts.push(part);
            left -= part;
          });
          let refunded = 0;
          let feeBack = 0;
          const reversed: SplitLine[] = [];
          for (const part of parts.filter((p) => p > 0)) {
            const r = refundReversal(paid, part, refunded, lines, reversed, { paidFen: fee, returnedSoFarFen: feeBack });
            expect(r.fromReceiverFen + r.feeFen + r.lines.reduce((s, l) => s + l.amountFen, 0)).toBe(part);
            expect(r.feeFen).toBeGreaterThanOrEqual(0);
            expect(r.lines.every((l) => l.amountFen > 0)).toBe(true);
            refunded += part;
            feeBack += r.feeFen;
            reversed.push(...r.lines);
          }
          expect(refunded).toBe(paid);
          expect(feeBack).toBe(fee);
          for (const l of lines) {
            expect(reversed.filter((x) => x.kind === l.kind && x.memberId === l.memberId).reduce((s, x) => s + x.amountFen, 0)).toBe(l.amountFen);
          }
        },
      ),
    );
  });

  it('a refund’s postings sum to zero and hold what it takes back from members while the channel decides', () => {
    const o = { kind: 'REFUND' as const, amountFen: 5000, receiverMemberId: 'r', payerMemberId: null, paymentMethod: 'QUICK_PAY' };
    const reversal = {
      lines: [
        { memberId: 'p', kind: 'SPLIT' as const, amountFen: 250 },
        { memberId: null, kind: 'COMMISSION' as const, amountFen: 250 },
      ],
      feeFen: 30,
      fromReceiverFen: 4470,
    };
    expect(successPostings(o, true, [], 0, reversal).reduce((s, p) => s + p.amountFen, 0)).toBe(0);
    expect(holdsOf(o, reversal, true)).toEqual([
      { memberId: 'r', kind: 'PENDING_SETTLEMENT', amountFen: 4470 },
      { memberId: 'p', kind: 'PENDING_SETTLEMENT', amountFen: 250 },
    ]);
    expect(holdsOf({ ...o, paymentMethod: 'BALANCE' }, reversal, true)).toEqual([]);
  });
});
