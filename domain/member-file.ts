/**
 * Member files (会员批导 and 会员迁移): the templates, the check of every row,
 * and the neutralising of spreadsheet formulas in the files we produce. Pure:
 * parsing and encodings live in lib/formats/member-files.ts.
 */
import { isValidBankCardNumber, isValidCreditCode, isValidIdCardNumber, isValidMobile, normalisePersonName, personNameProblem } from './identity';

export type ImportKind = 'INDIVIDUAL' | 'ENTERPRISE' | 'BANK_CARD';

/** Column headers of each template, in order; the result file adds RESULT_COLUMNS. */
export const TEMPLATE_COLUMNS: Record<ImportKind, readonly string[]> = {
  INDIVIDUAL: ['会员编号', '姓名', '证件类型', '证件号码', '手机号', '银行卡号'],
  ENTERPRISE: ['会员编号', '企业名称', '统一社会信用代码', '企业地址', '经营范围', '法人姓名', '法人证件类型', '法人证件号码', '法人手机号'],
  BANK_CARD: ['会员编号', '持卡人姓名', '证件类型', '证件号码', '银行卡号', '银行预留手机号'],
};

export const RESULT_COLUMNS = ['结果代码', '结果说明'] as const;

export const IMPORT_KIND_LABELS: Record<ImportKind, string> = {
  INDIVIDUAL: '个人会员',
  ENTERPRISE: '企业会员',
  BANK_CARD: '银行卡绑定',
};

/** An example row per template, in the downloadable templates. */
export const TEMPLATE_EXAMPLES: Record<ImportKind, readonly string[]> = {
  INDIVIDUAL: ['M0001', '张三', '身份证', '11010519491231002X', '13800138000', '6217002963074185290'],
  ENTERPRISE: [
    'E0001',
    '深圳示例科技有限公司',
    '91350100M000100Y43',
    '深圳市南山区示例路1号',
    '软件开发',
    '李四',
    '身份证',
    '110105198511114560',
    '13900139000',
  ],
  BANK_CARD: ['M0001', '张三', '身份证', '11010519491231002X', '6217002963074185290', '13800138000'],
};

/** Limits of one file, documented in the README. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;
export const MAX_FILE_ROWS = 200_000;

export const ID_CARD = '身份证';

/**
 * Marks a spreadsheet cell that held a number of 16 or more digits: a spreadsheet keeps only 15
 * significant digits, so an ID or card number typed into a number cell has already lost its tail.
 */
export const LONG_NUMBER_CELL = '\u0000NUMBER-CELL:'; // upper case: ID cells are upper-cased
const lostDigits = (label: string) => `${label}所在列须设置为“文本”格式：数字格式只保留15位有效数字，号码末尾已丢失`;

/** The values of a row by meaning (empty optional cells are ''). */
export interface MemberRow {
  bizUserId: string;
  name: string;
  idNumber: string;
  phone: string;
  cardNumber: string;
  companyName: string;
  creditCode: string;
  address: string;
  businessScope: string;
}

export function rowValues(kind: ImportKind, cells: readonly string[]): MemberRow {
  const c = (i: number) => (cells[i] ?? '').trim();
  switch (kind) {
    case 'INDIVIDUAL':
      return {
        bizUserId: c(0),
        name: normalisePersonName(c(1)),
        idNumber: c(3).toUpperCase(),
        phone: c(4),
        cardNumber: c(5).replace(/\s+/g, ''),
        companyName: '',
        creditCode: '',
        address: '',
        businessScope: '',
      };
    case 'ENTERPRISE':
      return {
        bizUserId: c(0),
        companyName: c(1),
        creditCode: c(2).toUpperCase(),
        address: c(3),
        businessScope: c(4),
        name: normalisePersonName(c(5)),
        idNumber: c(7).toUpperCase(),
        phone: c(8),
        cardNumber: '',
      };
    case 'BANK_CARD':
      return {
        bizUserId: c(0),
        name: normalisePersonName(c(1)),
        idNumber: c(3).toUpperCase(),
        cardNumber: c(4).replace(/\s+/g, ''),
        phone: c(5),
        companyName: '',
        creditCode: '',
        address: '',
        businessScope: '',
      };
  }
}

/** Problems of one row on its own (duplicates are checked across rows by the caller). */
export function rowProblems(kind: ImportKind, cells: readonly string[]): string[] {
  const v = rowValues(kind, cells);
  const problems: string[] = [];
  const required = (value: string, label: string) => {
    if (!value) problems.push(`${label}不能为空`);
    return !!value;
  };
  if (required(v.bizUserId, '会员编号') && !/^[A-Za-z0-9_-]{1,64}$/.test(v.bizUserId)) {
    problems.push('会员编号只能包含字母、数字、下划线和短横线，最长64位');
  }
  const idTypeColumn = kind === 'ENTERPRISE' ? 6 : 2;
  const idType = (cells[idTypeColumn] ?? '').trim();
  if (required(idType, kind === 'ENTERPRISE' ? '法人证件类型' : '证件类型') && idType !== ID_CARD) {
    problems.push('证件类型仅支持身份证');
  }
  const nameLabel = kind === 'ENTERPRISE' ? '法人姓名' : kind === 'BANK_CARD' ? '持卡人姓名' : '姓名';
  // The forms' rule (domain/identity): no formula, newline or symbol becomes a verified member.
  const nameProblem = v.name ? personNameProblem(v.name) : null;
  if (required(v.name, nameLabel) && nameProblem) problems.push(nameProblem.replace(/^姓名/, nameLabel));
  const idLabel = kind === 'ENTERPRISE' ? '法人证件号码' : '证件号码';
  if (v.idNumber.startsWith(LONG_NUMBER_CELL)) problems.push(lostDigits(idLabel));
  else if (required(v.idNumber, idLabel) && !isValidIdCardNumber(v.idNumber)) {
    problems.push('身份证号码不正确（位数、出生日期或校验位有误）');
  }
  const phoneLabel = kind === 'ENTERPRISE' ? '法人手机号' : kind === 'BANK_CARD' ? '银行预留手机号' : '手机号';
  if (required(v.phone, phoneLabel) && !isValidMobile(v.phone)) problems.push(`${phoneLabel}格式不正确`);
  if (kind === 'ENTERPRISE') {
    if (required(v.companyName, '企业名称') && v.companyName.length > 100) problems.push('企业名称不能超过100个字');
    if (required(v.creditCode, '统一社会信用代码') && !isValidCreditCode(v.creditCode)) problems.push('统一社会信用代码不正确');
  }
  if (kind === 'BANK_CARD') required(v.cardNumber, '银行卡号');
  if (v.cardNumber.startsWith(LONG_NUMBER_CELL)) problems.push(lostDigits('银行卡号'));
  else if (v.cardNumber && !isValidBankCardNumber(v.cardNumber)) problems.push('银行卡号不正确（应为12-19位数字并通过校验）');
  return problems;
}

/** The key two rows of a file must not share. */
export function duplicateKey(kind: ImportKind, v: MemberRow): string {
  return kind === 'BANK_CARD' ? `${v.bizUserId}\u0000${v.cardNumber}` : v.bizUserId;
}

/**
 * A cell a spreadsheet would run as a formula (= + - @, or a leading tab / CR)
 * gets a leading apostrophe in every file we produce. Plain numbers ("-12.34")
 * and a lone "-" (our "none") are data, not formulas, and stay as they are.
 */
export function neutraliseFormula(cell: string): string {
  if (cell.length < 2 || /^-?\d+(\.\d+)?$/.test(cell)) return cell;
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
