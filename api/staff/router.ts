import { Router } from 'express';
import type { AppDeps } from '../context';
import { actorOf, requireRole } from '../context';
import type { RouterDoc } from '../route-docs';
import { createStaffSchema, disableStaffSchema, staffIdSchema, staffRoleSchema } from './schemas';
import { changeStaffRole, createStaff, disableStaff, enableStaff, listStaff, resetStaffPassword } from './service';

/** 人员管理 (headquarters operators): staff users, their roles, 停用/启用 and 重置密码. */
export function staffRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requireRole('OPERATOR'));
  router.get('/', async (_req, res) => {
    res.json(await listStaff(deps));
  });
  router.post('/', async (req, res) => {
    res.status(201).json(await createStaff(deps, actorOf(req), createStaffSchema.parse(req.body ?? {})));
  });
  router.put('/:id/role', async (req, res) => {
    res.json(await changeStaffRole(deps, actorOf(req), staffIdSchema.parse(req.params).id, staffRoleSchema.parse(req.body ?? {}).role));
  });
  router.post('/:id/disable', async (req, res) => {
    res.json(await disableStaff(deps, actorOf(req), staffIdSchema.parse(req.params).id, disableStaffSchema.parse(req.body ?? {}).reason));
  });
  router.post('/:id/enable', async (req, res) => {
    res.json(await enableStaff(deps, actorOf(req), staffIdSchema.parse(req.params).id));
  });
  router.post('/:id/password-reset', async (req, res) => {
    res.json(await resetStaffPassword(deps, actorOf(req), staffIdSchema.parse(req.params).id));
  });
  return router;
}

const staff = { params: staffIdSchema } as const;
/** 人员管理 in the portal's API document. */
export const staffDoc: RouterDoc = {
  tag: '人员管理',
  admits: ['OPERATOR'],
  routes: {
    'GET /': { summary: '运营人员与审核人员' },
    'POST /': {
      summary: '新增人员：初始密码以短信发送至其手机，首次登录须修改',
      body: createStaffSchema,
      example: { username: 'reviewer.li', displayName: '李审核', role: 'REVIEWER', phone: '13800138000' },
    },
    'PUT /:id/role': { ...staff, summary: '变更角色（其登录会话结束，须重新登录）', body: staffRoleSchema, example: { role: 'OPERATOR' } },
    'POST /:id/disable': { ...staff, summary: '停用：立即结束其所有会话，不能再登录', body: disableStaffSchema, example: { reason: '人员离职' } },
    'POST /:id/enable': { ...staff, summary: '启用' },
    'POST /:id/password-reset': { ...staff, summary: '重置密码：新的初始密码以短信发送至其手机' },
  },
};
