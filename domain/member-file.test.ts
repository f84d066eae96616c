import { LONG_NUMBER_CELL, TEMPLATE_COLUMNS, TEMPLATE_EXAMPLES, neutraliseFormula, rowProblems, rowValues } from './member-file';

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

  it("applies the forms' name rule: formulas, newlines and symbols are refused, rare characters accepted and normalised", () => {
    const row = (name: string) => {
      const r = [...TEMPLATE_EXAMPLES.INDIVIDUAL];
      r[1] = name;
      return r;
    };
    for (const bad of ['=HYPERLINK("http://evil","x")', '@SUM(A1)', '\t=1+1', '张\n三']) {
      expect(rowProblems('INDIVIDUAL', row(bad))).toEqual(['姓名只能包含汉字、英文字母、空格和间隔号“·”']);
    }
    expect(rowProblems('INDIVIDUAL', row('张𠮷'))).toEqual([]);
    expect(rowValues('INDIVIDUAL', row('阿依古丽・买买提')).name).toBe('阿依古丽·买买提');
    const e = [...TEMPLATE_EXAMPLES.ENTERPRISE];
    e[5] = '=cmd()';
    expect(rowProblems('ENTERPRISE', e)).toEqual(['法人姓名只能包含汉字、英文字母、空格和间隔号“·”']);
  });

  it('says that an ID or card number typed into a number cell lost its digits', () => {
    const r = [...TEMPLATE_EXAMPLES.INDIVIDUAL];
    r[3] = `${LONG_NUMBER_CELL}110105194912310000`;
    r[5] = `${LONG_NUMBER_CELL}6217002963074185000`;
    expect(rowProblems('INDIVIDUAL', r)).toEqual([
      '证件号码所在列须设置为“文本”格式：数字格式只保留15位有效数字，号码末尾已丢失',
      '银行卡号所在列须设置为“文本”格式：数字格式只保留15位有效数字，号码末尾已丢失',
    ]);
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
