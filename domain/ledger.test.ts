import {
  ACCOUNTS_OPENED_BY,
  CARD_TYPE_LABELS,
  agreementsAtSignUp,
  fenNumber,
  ORDER_TYPE_LABELS,
  type OrderType,
  PAYMENT_METHOD_LABELS,
  businessDay,
  label,
  monthRange,
  postingsFor,
  previousMonth,
  yuan,
  dayStart,
  shanghaiDateTime,
} from './ledger';

const TYPES: OrderType[] = ['TOP_UP', 'CONSUMPTION', 'GUARANTEED_PAYMENT', 'GUARANTEE_CONFIRMATION', 'WITHDRAWAL', 'REFUND', 'TRANSFER'];

describe('ledger', () => {
  it('every successful order books postings that sum to zero; other statuses book nothing', () => {
    for (const type of TYPES) {
      for (const post of [true, false]) {
        for (const method of ['QUICK_PAY', 'BALANCE']) {
          const p = postingsFor({ type, status: 'SUCCESS', amountFen: 12_345, receiverMemberId: 'r', payerMemberId: 'p', paymentMethod: method }, post);
          expect(p.length).toBeGreaterThanOrEqual(2);
          expect(p.reduce((s, x) => s + x.amountFen, 0)).toBe(0);
        }
      }
      expect(postingsFor({ type, status: 'FAILED', amountFen: 100, receiverMemberId: 'r', payerMemberId: 'p', paymentMethod: null }, true)).toEqual([]);
    }
  });

  it('receipts land on the 待结算户 in post-settlement applications and on the 支付账户 otherwise', () => {
    const order = { type: 'CONSUMPTION' as const, status: 'SUCCESS', amountFen: 100, receiverMemberId: 'r', payerMemberId: null, paymentMethod: 'WECHAT' };
    expect(postingsFor(order, true)[0]).toEqual({ account: { memberId: 'r', kind: 'PENDING_SETTLEMENT' }, amountFen: 100 });
    expect(postingsFor(order, false)[0]).toEqual({ account: { memberId: 'r', kind: 'PAYMENT' }, amountFen: 100 });
    expect(postingsFor({ ...order, paymentMethod: 'BALANCE', payerMemberId: 'p' }, true)[1]).toEqual({
      account: { memberId: 'p', kind: 'PAYMENT' },
      amountFen: -100,
    });
  });

  it('says every code in Chinese', () => {
    expect(TYPES.map((t) => `${ORDER_TYPE_LABELS[t].type}-${ORDER_TYPE_LABELS[t].subtype}`)).toEqual([
      '充值-充值',
      '消费-消费',
      '担保消费-担保支付',
      '担保消费-担保确认',
      '提现-提现',
      '退款-退款',
      '转账-转账',
    ]);
    expect(label(PAYMENT_METHOD_LABELS, 'QUICK_PAY')).toBe('快捷支付');
    expect(label(CARD_TYPE_LABELS, null)).toBe('-');
  });

  it('counts days and months in Shanghai time and money in fen', () => {
    expect(businessDay(new Date('2026-11-21T16:00:00Z'))).toBe('2026-11-22');
    expect(businessDay(new Date('2026-11-21T15:59:59Z'))).toBe('2026-11-21');
    expect(monthRange('2026-12')).toEqual({ start: new Date('2026-11-30T16:00:00Z'), end: new Date('2026-12-31T16:00:00Z') });
    expect(previousMonth('2027-01')).toBe('2026-12');
    expect([yuan(0), yuan(5), yuan(-12345), yuan(100000000000n)]).toEqual(['0.00', '0.05', '-123.45', '1000000000.00']);
  });
});

describe('Shanghai time', () => {
  it('reads an instant as a Shanghai date and time, across midnight and the year end', () => {
    expect(shanghaiDateTime(new Date('2026-12-31T15:59:59Z'))).toBe('2026-12-31 23:59:59');
    expect(shanghaiDateTime(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01 00:00:00');
    expect(businessDay(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
    expect(dayStart('2028-02-29').toISOString()).toBe('2028-02-28T16:00:00.000Z');
  });
});

describe('what sign-up signs and opens', () => {
  it('post-settlement: the 会员协议 opens the 簿记账户 and the 待结算户; the 支付账户 waits for the 授权函', () => {
    expect(agreementsAtSignUp('POST_SETTLEMENT')).toEqual([{ kind: 'MEMBER_SERVICE', opens: ['BOOKKEEPING', 'PENDING_SETTLEMENT'] }]);
    expect(ACCOUNTS_OPENED_BY.SETTLEMENT_AUTHORISATION).toEqual(['PAYMENT']);
  });

  it('realtime settlement: receipts book on the 支付账户, so its agreement is signed at sign-up', () => {
    expect(agreementsAtSignUp('REALTIME_SETTLEMENT')).toEqual([
      { kind: 'MEMBER_SERVICE', opens: ['BOOKKEEPING'] },
      { kind: 'PAYMENT_ACCOUNT_SERVICE', opens: ['PAYMENT'] },
    ]);
    // Every account a receipt can land on is opened at sign-up in both modes.
    for (const mode of ['POST_SETTLEMENT', 'REALTIME_SETTLEMENT'] as const) {
      const opened = agreementsAtSignUp(mode).flatMap((a) => a.opens);
      const receipt = postingsFor(
        { type: 'CONSUMPTION', status: 'SUCCESS', amountFen: 100, receiverMemberId: 'm', payerMemberId: null, paymentMethod: 'QUICK_PAY' },
        mode === 'POST_SETTLEMENT',
      );
      const lands = receipt.find((p) => 'memberId' in p.account)!.account as { kind: string };
      expect(opened).toContain(lands.kind);
    }
  });
});

describe('fen as JSON numbers', () => {
  it('are exact up to 2^53 and refused beyond', () => {
    expect(fenNumber(2_147_483_648n)).toBe(2_147_483_648);
    expect(fenNumber(-5n)).toBe(-5);
    expect(() => fenNumber(2n ** 53n)).toThrow(RangeError);
  });
});
