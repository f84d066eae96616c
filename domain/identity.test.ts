import {
  creditCodeCheckCharacter,
  idCardCheckCharacter,
  isValidBankCardNumber,
  isValidCreditCode,
  isValidIdCardNumber,
  isValidMobile,
  luhnCheckDigit,
  normalisePersonName,
  personNameProblem,
} from './identity';
import { maskCardNumber, maskIdNumber, maskPersonName, maskPhone } from './masking';
import { expiresAt, isWithinWindow, ONBOARDING_LINK_VALIDITY_MS, reminderAt, remainingMs } from './validity';

describe('resident ID numbers (GB 11643)', () => {
  it('accepts published valid numbers, including the X check character', () => {
    expect(isValidIdCardNumber('11010519491231002X')).toBe(true);
    expect(isValidIdCardNumber('11010519491231002x')).toBe(true);
  });
  it('rejects a birth date after the day it is checked on (born 2099), accepts one of that day', () => {
    const withCheck = (first17: string) => first17 + idCardCheckCharacter(first17);
    const asOf = new Date('2026-12-01T00:00:00Z');
    expect(isValidIdCardNumber(withCheck('11010520990101123'), asOf)).toBe(false);
    expect(isValidIdCardNumber(withCheck('11010520261202123'), asOf)).toBe(true);
    expect(isValidIdCardNumber(withCheck('11010520261203123'), asOf)).toBe(false);
    expect(isValidIdCardNumber(withCheck('11010519900101123'), asOf)).toBe(true);
  });
  it('rejects births before 1900 even with a correct check character', () => {
    expect(isValidIdCardNumber('440524188001010014')).toBe(false);
  });
  it('rejects a wrong check character, impossible dates, and wrong lengths', () => {
    expect(isValidIdCardNumber('110105194912310021')).toBe(false);
    expect(isValidIdCardNumber('110105' + '19900230' + '123' + idCardCheckCharacter('11010519900230123'))).toBe(false);
    expect(isValidIdCardNumber('11010519491231002')).toBe(false);
    expect(isValidIdCardNumber('1101051949123100XX')).toBe(false);
  });
  it('every single-digit change of a valid number is detected', () => {
    const valid = '11010519900307123' + idCardCheckCharacter('11010519900307123');
    for (let i = 0; i < 17; i++) {
      const d = Number(valid[i]);
      const changed = valid.slice(0, i) + String((d + 1) % 10) + valid.slice(i + 1);
      expect(isValidIdCardNumber(changed)).toBe(false);
    }
  });
});

describe('unified social credit codes (GB 32100)', () => {
  it('accepts a published valid code and computes check characters', () => {
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
    expect(creditCodeCheckCharacter('91350100M000100Y4')).toBe('3');
  });
  it('rejects a wrong check character and letters outside the alphabet', () => {
    expect(isValidCreditCode('91350100M000100Y44')).toBe(false);
    expect(isValidCreditCode('91350100I000100Y43')).toBe(false);
    expect(isValidCreditCode('91350100M000100Y4')).toBe(false);
  });
});

describe('phones and bank cards', () => {
  it('accepts 11-digit mainland mobiles only', () => {
    expect(isValidMobile('13800138000')).toBe(true);
    expect(isValidMobile('12800138000')).toBe(false);
    expect(isValidMobile('1380013800')).toBe(false);
  });
  it('checks card numbers with Luhn', () => {
    const body = '621700123456789012';
    const card = body + luhnCheckDigit(body);
    expect(isValidBankCardNumber(card)).toBe(true);
    expect(isValidBankCardNumber(card.slice(0, -1) + String((Number(card.slice(-1)) + 1) % 10))).toBe(false);
    expect(isValidBankCardNumber('4111 1111 1111 1111')).toBe(true);
    expect(isValidBankCardNumber('12345')).toBe(false);
  });
});

describe('masking', () => {
  it('shows a card as first 6 + last 4', () => {
    expect(maskCardNumber('6217001234567890123')).toBe('621700*********0123');
  });
  it('masks ID numbers, phones and person names', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110***********002X');
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskPersonName('王小明')).toBe('王**');
  });
});

describe('the reminder rule', () => {
  const HOUR = 3600 * 1000;
  it('reminds 24 h before the deadline, never before half the validity, not at all under 12 h', () => {
    expect(reminderAt(0, 7 * 24 * HOUR)).toBe(6 * 24 * HOUR);
    expect(reminderAt(0, 24 * HOUR)).toBe(12 * HOUR);
    expect(reminderAt(0, 12 * HOUR)).toBe(6 * HOUR);
    expect(reminderAt(0, 11 * HOUR)).toBeNull();
  });
});

describe('validity windows', () => {
  it('an onboarding link lives exactly 7 days, open at the start and closed at the end', () => {
    const start = new Date('2026-11-01T08:00:00Z');
    const end = expiresAt(start, ONBOARDING_LINK_VALIDITY_MS);
    expect(end.toISOString()).toBe('2026-11-08T08:00:00.000Z');
    expect(isWithinWindow(start, end)).toBe(true);
    expect(isWithinWindow(new Date(end.getTime() - 1), end)).toBe(true);
    expect(isWithinWindow(end, end)).toBe(false);
    expect(remainingMs(new Date(end.getTime() + 5), end)).toBe(0);
  });
});

describe("people's names (members, legal representatives, card holders, import rows)", () => {
  const problem = (raw: string) => personNameProblem(normalisePersonName(raw));
  it.each(['张𠮷', '王䶮', '李\u9FA6', '陈\u{2EBF0}', '〇〇', '王〇明', '阿依古丽·买买提', 'John Smith', '\uF900\uF901'])('accepts %s', (name) => {
    expect(problem(name)).toBeNull();
  });
  it('counts lengths in code points: 𠮷 is one character', () => {
    expect(problem('𠮷')).toBe('姓名至少2个字');
    expect(problem('𠮷'.repeat(30))).toBeNull();
    expect(problem('𠮷'.repeat(31))).toBe('姓名不能超过30个字');
  });
  it('writes the middle-dot look-alikes as U+00B7 and composes to NFC', () => {
    for (const dot of ['\u2022', '\u30FB', '\uFF65', '\u2027']) expect(normalisePersonName(`阿依古丽${dot}买买提`)).toBe('阿依古丽·买买提');
    expect(normalisePersonName('Jose\u0301')).toBe('Jos\u00E9');
  });
  it.each(['=HYPERLINK("http://x","a")', '@SUM(A1)', '+1+1', '-2+3', '\t=1+1', '张\n三', '张\t三', '·张三', '张三·', '张<b>三', '1234'])(
    'refuses %j',
    (name) => {
      expect(problem(name)).not.toBeNull();
    },
  );
});
