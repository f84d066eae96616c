/** What the platform sends to bind a corporate account and to confirm its deposit. */
import { z } from 'zod';
import { parseDepositAmount } from '../../domain/corporate-accounts';

export const bindCorporateAccountSchema = z.object({
  memberId: z.uuid({ error: '会员ID格式不正确' }),
  accountNo: z
    .string({ error: '请填写对公账号' })
    .transform((s) => s.replace(/\s+/g, ''))
    .pipe(z.string().regex(/^\d{8,32}$/, { error: '对公账号须为8至32位数字' })),
  bankName: z.string({ error: '请填写开户银行' }).trim().min(2, { error: '请填写开户银行' }).max(60, { error: '开户银行最长60个字符' }),
  accountName: z.string({ error: '请填写户名' }).trim().min(2, { error: '请填写户名' }).max(100, { error: '户名最长100个字符' }),
});
export type BindCorporateAccountInput = z.infer<typeof bindCorporateAccountSchema>;

export const listCorporateAccountsSchema = z.object({ memberId: z.uuid({ error: '会员ID格式不正确' }) });

export const verificationIdSchema = z.object({ id: z.uuid({ error: '验证ID格式不正确' }) });

/** The amount as the enterprise read it on its statement: 0.01–0.99 yuan. */
export const confirmDepositSchema = z.object({
  amount: z.string({ error: '请填写收到的打款金额' }).transform((s, ctx) => {
    const fen = parseDepositAmount(s);
    if (fen === null) {
      ctx.addIssue({ code: 'custom', message: '请填写收到的打款金额（0.01至0.99元）' });
      return z.NEVER;
    }
    return fen;
  }),
});
