import { depositAmountFen, parseDepositAmount, sameAccountName } from './corporate-accounts';

describe('corporate account verification rules', () => {
  it('derives a deposit of 0.01–0.99 yuan from the keyed digest', () => {
    expect(depositAmountFen(0)).toBe(1);
    expect(depositAmountFen(98)).toBe(99);
    expect(depositAmountFen(99)).toBe(1);
    expect(depositAmountFen(0xffffffff)).toBe(1 + (0xffffffff % 99));
  });

  it('reads the amount as typed, and nothing that is not a deposit', () => {
    expect(parseDepositAmount('0.23')).toBe(23);
    expect(parseDepositAmount(' .5 ')).toBe(50);
    expect(parseDepositAmount('￥0.05元')).toBe(5);
    for (const bad of ['0.00', '1.00', '23', '0.234', 'abc', '', '-0.23']) expect(parseDepositAmount(bad)).toBeNull();
  });

  it('takes only an account in the company’s own name', () => {
    expect(sameAccountName('深圳市示例科技（集团）有限公司', '深圳市示例科技(集团)有限公司')).toBe(true);
    expect(sameAccountName(' 深圳市示例科技有限公司', '深圳市示例科技有限公司')).toBe(true);
    expect(sameAccountName('张三', '深圳市示例科技有限公司')).toBe(false);
  });
});
