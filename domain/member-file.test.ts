import { TEMPLATE_COLUMNS, TEMPLATE_EXAMPLES, neutraliseFormula, rowProblems } from './member-file';

describe('member file rows', () => {
  it('accepts the template examples', () => {
    for (const kind of ['INDIVIDUAL', 'ENTERPRISE', 'BANK_CARD'] as const) {
      expect(TEMPLATE_EXAMPLES[kind]).toHaveLength(TEMPLATE_COLUMNS[kind].length);
      expect(rowProblems(kind, TEMPLATE_EXAMPLES[kind])).toEqual([]);
    }
  });

  it('names every problem of a bad individual row', () => {
    expect(rowProblems('INDIVIDUAL', ['M 1', '', '护照', '110105194912310021', '1380013800', '6217002963074185291'])).toEqual([
      '会员编号只能包含字母、数字、下划线和短横线，最长64位',
      '证件类型仅支持身份证',
      '姓名不能为空',
      '身份证号码不正确（位数、出生日期或校验位有误）',
      '手机号格式不正确',
      '银行卡号不正确（应为12-19位数字并通过校验）',
    ]);
  });

  it('requires the card of a card binding and checks the credit code of an enterprise', () => {
    expect(rowProblems('BANK_CARD', ['M1', '张三', '身份证', '11010519491231002X', '', '13800138000'])).toEqual(['银行卡号不能为空']);
    const e = [...TEMPLATE_EXAMPLES.ENTERPRISE];
    e[2] = '91350100M000100Y44';
    expect(rowProblems('ENTERPRISE', e)).toEqual(['统一社会信用代码不正确']);
  });

  it('neutralises cells a spreadsheet would run as formulas', () => {
    expect(['=1+1', '+86', '-2+3', '@SUM(A1)', '\tx', 'ok', '张三', '-12.34', '-'].map(neutraliseFormula)).toEqual([
      "'=1+1",
      "'+86",
      "'-2+3",
      "'@SUM(A1)",
      "'\tx",
      'ok',
      '张三',
      '-12.34',
      '-',
    ]);
  });
});
