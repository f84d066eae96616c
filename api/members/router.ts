import { Router } from 'express';
import type { AppDeps } from '../context';
import { actorOf, requireRole } from '../context';
import type { RouterDoc } from '../route-docs';
import { BusinessError } from '../../domain/errors';
import { photoUpload, receiveFiles } from '../uploads';
import { addMemberSchema, autoWithdrawalSchema, listMembersSchema, memberIdSchema, memberPhotoSchema, proxyMemberSchema } from './schemas';
import {
  type ProxyUploads,
  addMember,
  addProxyMember,
  getMember,
  listMembers,
  reissueOnboarding,
  rotateOnboardingLink,
  viewMemberPhoto,
  withdrawConsentFor,
} from './service';
import { consentWithdrawalSchema } from '../member-portal/schemas';
import { sendListExport } from '../list-exports';
import { shanghaiDateTime } from '../../domain/ledger';
import { MEMBER_STATUS_LABELS, STAGE_LABELS } from '../../domain/onboarding';
import { clearAutoWithdrawal, setAutoWithdrawal } from './auto-withdrawal';

const PROXY_PHOTO_FIELDS = { businessLicence: 'BUSINESS_LICENCE', idFront: 'ID_FRONT', idBack: 'ID_BACK' } as const;

export function membersRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requireRole('APPLICATION'));

  router.get('/', async (req, res) => {
    res.json(await listMembers(deps, actorOf(req), listMembersSchema.parse(req.query)));
  });
  router.post('/', async (req, res) => {
    res.status(201).json(await addMember(deps, actorOf(req), addMemberSchema.parse(req.body)));
  });
  // 平台代开户: JSON, or multipart with the JSON in `data` and the enterprise's three photos.
  router.post('/proxy', async (req, res) => {
    let body: unknown = req.body;
    const files: ProxyUploads = {};
    if (req.is('multipart/form-data')) {
      await receiveFiles(photoUpload.fields(Object.keys(PROXY_PHOTO_FIELDS).map((name) => ({ name, maxCount: 1 }))), req, res);
      try {
        body = JSON.parse(String((req.body as Record<string, unknown>).data ?? ''));
      } catch {
        throw new BusinessError('request.invalid', '表单字段 data 须为 JSON');
      }
      const uploaded = (req.files ?? {}) as Record<string, Express.Multer.File[]>;
      for (const [field, kind] of Object.entries(PROXY_PHOTO_FIELDS)) {
        const file = uploaded[field]?.[0];
        if (file) files[kind] = { buffer: file.buffer, size: file.size };
      }
    }
    res.status(201).json(await addProxyMember(deps, actorOf(req), proxyMemberSchema.parse(body), files));
  });
  router.get('/export', async (req, res) => {
    const filters = listMembersSchema.parse(req.query);
    await sendListExport(deps, actorOf(req), res, {
      what: 'members',
      title: filters.type === 'ENTERPRISE' ? '企业会员列表' : filters.type === 'INDIVIDUAL' ? '个人会员列表' : '会员列表',
      filters,
      list: (window) => listMembers(deps, actorOf(req), { ...filters, ...window }),
      columns: [
        ['会员编号', (m) => m.bizUserId],
        ['会员类型', (m) => (m.type === 'ENTERPRISE' ? '企业会员' : '个人会员')],
        ['名称', (m) => m.displayName],
        ['会员状态', (m) => MEMBER_STATUS_LABELS[m.status] ?? m.status],
        ['开户环节', (m) => (m.stage ? (STAGE_LABELS[m.stage] ?? m.stage) : '')],
        ['绑定手机', (m) => m.boundPhone],
        ['链接有效期至', (m) => (m.linkExpiresAt ? shanghaiDateTime(new Date(m.linkExpiresAt)) : '')],
        ['创建时间', (m) => shanghaiDateTime(new Date(m.createdAt))],
      ],
    });
  });
  router.get('/:id', async (req, res) => {
    res.json(await getMember(deps, actorOf(req), memberIdSchema.parse(req.params).id));
  });
  router.get('/:id/photos/:photoId', async (req, res) => {
    const { id, photoId } = memberPhotoSchema.parse(req.params);
    const photo = await viewMemberPhoto(deps, actorOf(req), id, photoId);
    // Shown in the page, never kept by a browser or a proxy.
    res.setHeader('Content-Type', photo.mimeType);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Disposition', 'inline');
    res.send(Buffer.from(photo.data));
  });
  // The member asked its platform to withdraw its consent: recorded for it (audited as the platform's).
  router.post('/:id/consent-withdrawal', async (req, res) => {
    const id = memberIdSchema.parse(req.params).id;
    await withdrawConsentFor(deps, actorOf(req), id, consentWithdrawalSchema.parse(req.body ?? {}).reason);
    res.json(await getMember(deps, actorOf(req), id));
  });
  router.post('/:id/onboarding', async (req, res) => {
    res.status(201).json(await reissueOnboarding(deps, actorOf(req), memberIdSchema.parse(req.params).id));
  });
  // 提现设置: the member's daily withdrawal (time and card), or none.
  router.put('/:id/auto-withdrawal', async (req, res) => {
    res.json(await setAutoWithdrawal(deps, actorOf(req), memberIdSchema.parse(req.params).id, autoWithdrawalSchema.parse(req.body ?? {})));
  });
  router.delete('/:id/auto-withdrawal', async (req, res) => {
    res.json(await clearAutoWithdrawal(deps, actorOf(req), memberIdSchema.parse(req.params).id));
  });
  router.post('/:id/onboarding/link', async (req, res) => {
    res.json(await rotateOnboardingLink(deps, actorOf(req), memberIdSchema.parse(req.params).id));
  });
  return router;
}

/** 会员管理 in the portal's API document. */
export const membersDoc: RouterDoc = {
  tag: '会员管理',
  admits: ['APPLICATION'],
  routes: {
    'GET /': { summary: '会员查询', query: listMembersSchema },
    'POST /': {
      summary: '新增会员（自主开户：返回开户链接与二维码）',
      body: addMemberSchema,
      status: 201,
      example: { type: 'INDIVIDUAL', bizUserId: 'M-10001', name: '张三' },
    },
    'POST /proxy': {
      summary: '平台代开户（JSON，或 multipart：data 字段为 JSON，另附企业三张照片）',
      body: proxyMemberSchema,
      files: ['businessLicence', 'idFront', 'idBack'],
      status: 201,
      example: {
        type: 'INDIVIDUAL',
        bizUserId: 'M-10002',
        realName: { name: '张三', idNumber: '11010519491231002X', cardNumber: '6217001234567890122', phone: '13800138000' },
      },
    },
    'GET /export': { summary: '会员列表导出（XLSX，至多 10,000 行，手机号脱敏）', query: listMembersSchema, answer: 'file' },
    'GET /:id': { summary: '会员详情（开户进度、账户、银行卡）', params: memberIdSchema },
    'GET /:id/photos/:photoId': { summary: '查看会员证照（营业执照、法人身份证；每次查看留痕）', params: memberPhotoSchema },
    'POST /:id/consent-withdrawal': {
      summary: '登记会员撤回个人信息处理授权（会员向平台提出）',
      params: memberIdSchema,
      body: consentWithdrawalSchema,
      example: { reason: '会员来电要求撤回授权' },
    },
    'POST /:id/onboarding': { summary: '重新发起开户（新的开户链接）', params: memberIdSchema, status: 201 },
    'PUT /:id/auto-withdrawal': {
      summary: '提现设置：每日自动提现的时间与银行卡',
      params: memberIdSchema,
      body: autoWithdrawalSchema,
      example: { cardId: '5f0c7b7f-3a10-4c1e-9a51-2f0c7b7f3a10', time: '17:30' },
    },
    'DELETE /:id/auto-withdrawal': { summary: '取消自动提现', params: memberIdSchema },
    'POST /:id/onboarding/link': { summary: '更换开户链接（旧链接立即失效）', params: memberIdSchema },
  },
};
