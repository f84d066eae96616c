import { Router } from 'express';
import type { AppDeps } from '../context';
import { actorOf, requireRole } from '../context';
import type { RouterDoc } from '../route-docs';
import { bindCorporateAccountSchema, confirmDepositSchema, listCorporateAccountsSchema, verificationIdSchema } from './schemas';
import { bindCorporateAccount, confirmDeposit, listCorporateAccounts } from './service';

/** 对公户绑定 (会员详情): bind by small deposit, confirm the amount, see each verification. */
export function corporateAccountsRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requireRole('APPLICATION'));
  router.get('/', async (req, res) => {
    res.json(await listCorporateAccounts(deps, actorOf(req), listCorporateAccountsSchema.parse(req.query).memberId));
  });
  router.post('/', async (req, res) => {
    res.status(201).json(await bindCorporateAccount(deps, actorOf(req), bindCorporateAccountSchema.parse(req.body ?? {})));
  });
  router.post('/:id/confirmation', async (req, res) => {
    const { id } = verificationIdSchema.parse(req.params);
    res.json(await confirmDeposit(deps, actorOf(req), id, confirmDepositSchema.parse(req.body ?? {}).amount));
  });
  return router;
}

/** 对公户绑定 in the portal's API document. */
export const corporateAccountsDoc: RouterDoc = {
  tag: '对公户绑定',
  admits: ['APPLICATION'],
  routes: {
    'GET /': { summary: '企业会员的对公户验证记录', query: listCorporateAccountsSchema },
    'POST /': {
      summary: '绑定对公户：户名须为企业名称，平台向该账户小额打款（0.01–0.99元），企业72小时内确认金额，最多3次',
      body: bindCorporateAccountSchema,
      example: {
        memberId: '3f2b8c1e-5d4a-4e7b-9c2d-1a2b3c4d5e6f',
        accountNo: '4000023409200123456',
        bankName: '中国工商银行深圳南山支行',
        accountName: '深圳市示例科技有限公司',
      },
    },
    'POST /:id/confirmation': {
      params: verificationIdSchema,
      summary: '确认打款金额：金额正确即绑定为对公户，错误扣减一次机会',
      body: confirmDepositSchema,
      example: { amount: '0.37' },
    },
  },
};
