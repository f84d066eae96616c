import { passwordProblem } from '../../domain/passwords';
import { randomInitialPassword } from './initial-passwords';

describe('initial passwords', () => {
  it('are 8 characters from all four classes, pass the rules, and differ', () => {
    const made = Array.from({ length: 200 }, randomInitialPassword);
    for (const p of made) {
      expect(p).toHaveLength(8);
      expect(passwordProblem(p)).toBeNull();
      expect([/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].every((c) => c.test(p))).toBe(true);
    }
    expect(new Set(made).size).toBe(made.length);
  });
});
