import { partyTermsHash } from '../lib/business/document-hashes';
import { splitAmount, termsProblems, type SplitTerms } from './split';

const terms = (over: Partial<SplitTerms> = {}): SplitTerms => ({
  name: '门店分账',
  receiverMemberId: 'r',
  commission: { method: 'RATIO', value: 500 },
  parties: [
    { memberId: 'a', method: 'RATIO', value: 3000 },
    { memberId: 'b', method: 'FIXED', value: 200 },
  ],
  ...over,
});

describe('split terms', () => {
  it('accepts ratios up to 100% and refuses more, naming the total', () => {
    expect(termsProblems(terms())).toEqual([]);
    const over = termsProblems(terms({ parties: [{ memberId: 'a', method: 'RATIO', value: 9600 }] }));
    expect(over).toEqual([{ field: 'parties', message: '分账及抽佣比例合计 101%，不能超过 100%' }]);
    expect(termsProblems(terms({ commission: null, parties: [{ memberId: 'a', method: 'RATIO', value: 10000 }] }))).toEqual([]);
  });

  it('refuses a duplicate party and the receiver as its own party', () => {
    const problems = termsProblems(
      terms({
        parties: [
          { memberId: 'a', method: 'RATIO', value: 100 },
          { memberId: 'a', method: 'FIXED', value: 1 },
          { memberId: 'r', method: 'FIXED', value: 1 },
        ],
      }),
    );
    expect(problems.map((p) => p.field)).toEqual(['parties.1.memberId', 'parties.2.memberId']);
  });

  it('splits in whole fen, rounding ratios down; the remainder stays with the receiver', () => {
    expect(splitAmount(10_001, terms())).toEqual([
      { memberId: 'a', kind: 'SPLIT', amountFen: 3000 },
      { memberId: 'b', kind: 'SPLIT', amountFen: 200 },
      { memberId: null, kind: 'COMMISSION', amountFen: 500 },
    ]);
    // fixed shares larger than the order: nothing is split
    expect(splitAmount(150, terms())).toEqual([]);
  });

  it("changes a party's terms hash only when what it agreed to changes", () => {
    const before = terms();
    const otherFixed = terms({ parties: [before.parties[0]!, { memberId: 'b', method: 'FIXED', value: 300 }] });
    expect(partyTermsHash(otherFixed, 'a')).toBe(partyTermsHash(before, 'a'));
    expect(partyTermsHash(otherFixed, 'b')).not.toBe(partyTermsHash(before, 'b'));
    expect(partyTermsHash(otherFixed, 'r')).not.toBe(partyTermsHash(before, 'r'));
  });
});
