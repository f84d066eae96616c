import { Router } from 'express';
import type { AppDeps } from '../context';
import type { RouterDoc } from '../route-docs';
import { actorOf, requireRole } from '../context';
import { CONTENT_TYPES, sendAsFile } from '../downloads';
import { agreementIdSchema, listAgreementsSchema } from './schemas';
import { agreementPdf, listAgreements } from './service';
import { sendListExport } from '../list-exports';
import { shanghaiDateTime } from '../../domain/ledger';

/** 会员协议管理 and 会员支付账户协议管理. */
export function agreementsRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requireRole('APPLICATION'));

  router.get('/', async (req, res) => {
    res.json(await listAgreements(deps, actorOf(req), listAgreementsSchema.parse(req.query)));
  });
  router.get('/export', async (req, res) => {
    const filters = listAgreementsSchema.parse(req.query);
    await sendListExport(deps, actorOf(req), res, {
      what: 'agreements',
      title: filters.category === 'PAYMENT_ACCOUNT' ? '会员支付账户协议' : '会员协议',
      filters,
      list: (window) => listAgreements(deps, actorOf(req), { ...filters, ...window }),
      columns: [
        ['会员编号', (a) => a.bizUserId],
        ['会员名称', (a) => a.memberName],
        ['协议', (a) => a.title],
        ['版本', (a) => a.version],
        ['签约方式', (a) => (a.online ? '线上（短信验证码）' : '线下（纸质）')],
        ['签约手机', (a) => a.signedPhone],
        ['签约时间', (a) => shanghaiDateTime(new Date(a.signedAt))],
        ['状态', (a) => (a.status === 'VALID' ? '有效' : '已被替代')],
      ],
    });
  });
  router.get('/:id/pdf', async (req, res) => {
    const { filename, document } = await agreementPdf(deps, actorOf(req), agreementIdSchema.parse(req.params).id);
    sendAsFile(res, filename, CONTENT_TYPES.PDF);
    document.pipe(res);
  });
  return router;
}

/** 会员协议管理 in the portal's API document. */
export const agreementsDoc: RouterDoc = {
  tag: '会员协议管理',
  admits: ['APPLICATION'],
  routes: {
    'GET /': { summary: '会员协议 / 会员支付账户协议查询', query: listAgreementsSchema },
    'GET /export': { summary: '协议列表导出（XLSX，至多 10,000 行）', query: listAgreementsSchema, answer: 'file' },
    'GET /:id/pdf': { summary: '协议下载（PDF，含签约证据）', params: agreementIdSchema, answer: 'file' },
  },
};
