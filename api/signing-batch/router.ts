import { Router } from 'express';
import type { AppDeps } from '../context';
import type { RouterDoc } from '../route-docs';
import { actorOf } from '../context';
import { batchIdSchema, listSigningLinksSchema, sendBatchSchema } from './schemas';
import { getSigningBatch, listSigningLinks, sendSigningBatch } from './service';
import { sendListExport } from '../list-exports';
import { shanghaiDateTime } from '../../domain/ledger';
import { SIGNING_LINK_STATUS_LABELS } from '../../domain/agreement';

/** The signing-batch flow's routes, mounted by 收单商户管理 (which checks role and settlement mode first). */
export function signingBatchRoutes(deps: AppDeps): Router {
  const router = Router();
  router.post('/signing-batches', async (req, res) => {
    res.status(202).json(await sendSigningBatch(deps, actorOf(req), sendBatchSchema.parse(req.body ?? {})));
  });
  router.get('/signing-batches/:id', async (req, res) => {
    res.json(await getSigningBatch(deps, actorOf(req), batchIdSchema.parse(req.params).id));
  });
  router.get('/signing-links', async (req, res) => {
    res.json(await listSigningLinks(deps, actorOf(req), listSigningLinksSchema.parse(req.query)));
  });
  router.get('/signing-links/export', async (req, res) => {
    const filters = listSigningLinksSchema.parse(req.query);
    const at = (iso: string | null) => (iso ? shanghaiDateTime(new Date(iso)) : '');
    await sendListExport(deps, actorOf(req), res, {
      what: 'signing-links',
      title: '会员签约链接',
      filters,
      list: (window) => listSigningLinks(deps, actorOf(req), { ...filters, ...window }),
      columns: [
        ['会员编号', (l) => l.bizUserId],
        ['会员名称', (l) => l.memberName],
        ['手机号', (l) => l.phone],
        ['状态', (l) => SIGNING_LINK_STATUS_LABELS[l.status] ?? l.status],
        ['发送时间', (l) => at(l.sentAt)],
        ['打开时间', (l) => at(l.openedAt)],
        ['签约时间', (l) => at(l.signedAt)],
        ['有效期至', (l) => at(l.expiresAt)],
        ['失效原因', (l) => l.revokedReason],
      ],
    });
  });
  return router;
}

/** The signing-batch routes in the portal's API document, under 收单商户管理 (post-settlement applications only). */
export const signingBatchDoc: RouterDoc['routes'] = {
  'POST /signing-batches': {
    summary: '批量发送签约链接（按筛选条件或所选会员）',
    body: sendBatchSchema,
    status: 202,
    example: { memberIds: ['5f0c7b7f-3a10-4c1e-9a51-2f0c7b7f3a10'] },
  },
  'GET /signing-batches/:id': { summary: '签约批次的进度', params: batchIdSchema },
  'GET /signing-links': { summary: '会员签约链接查询', query: listSigningLinksSchema },
  'GET /signing-links/export': { summary: '会员签约链接导出（XLSX，至多 10,000 行，手机号脱敏）', query: listSigningLinksSchema, answer: 'file' },
};
