import { passwordProblem } from './passwords';

describe('password rules', () => {
  it('needs 8 characters from three of four classes, no spaces', () => {
    expect(passwordProblem('Ab1!')).toBe('密码至少8位');
    expect(passwordProblem('abcdefgh')).toContain('至少三类');
    expect(passwordProblem('abcdefg1')).toContain('至少三类');
    expect(passwordProblem('Abcdefg1')).toBeNull();
    expect(passwordProblem('abcdef1!')).toBeNull();
    expect(passwordProblem('Abcd efg1')).toBe('密码不能包含空格');
  });
});
