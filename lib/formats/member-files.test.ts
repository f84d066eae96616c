import ExcelJS from 'exceljs';
import { TEMPLATE_COLUMNS, TEMPLATE_EXAMPLES, rowProblems } from '../../domain/member-file';
import { readMemberFile } from './member-files';

describe('member files', () => {
  it('an 18-digit ID typed into a number cell of an XLSX is reported as a column that must be text', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('会员');
    sheet.addRow([...TEMPLATE_COLUMNS.INDIVIDUAL]);
    const row = [...TEMPLATE_EXAMPLES.INDIVIDUAL] as (string | number)[];
    row[3] = Number(TEMPLATE_EXAMPLES.INDIVIDUAL[3]!.replace(/X$/, '0')); // a number: its last digits are already lost
    sheet.addRow(row);
    const text = [...TEMPLATE_EXAMPLES.INDIVIDUAL];
    text[0] = 'M-TEXT';
    sheet.addRow(text);
    const file = await readMemberFile('INDIVIDUAL', '会员.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(rowProblems('INDIVIDUAL', file.rows[0]!)).toEqual(['证件号码所在列须设置为“文本”格式：数字格式只保留15位有效数字，号码末尾已丢失']);
    expect(rowProblems('INDIVIDUAL', file.rows[1]!)).toEqual([]);
  });
});
