import { Router } from 'express';
import type { AppDeps } from '../context';
import { actorOf, requireRole } from '../context';
import type { RouterDoc } from '../route-docs';
import {
  appNoParamsSchema,
  applicationBranchSchema,
  createBranchSchema,
  createStaffSchema,
  disableStaffSchema,
  staffBranchSchema,
  staffIdSchema,
  staffRoleSchema,
} from './schemas';
import {
  changeStaffBranch,
  changeStaffRole,
  createBranch,
  createStaff,
  disableStaff,
  enableStaff,
  listBranches,
  listStaff,
  moveApplication,
  resetStaffPassword,
} from './service';

/** 人员管理 (headquarters operators): staff users, their roles, 停用/启用 and 重置密码. */
export function staffRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requireRole('OPERATOR'));
  router.get('/', async (_req, res) => {
    res.json(await listStaff(deps));
  });
  router.get('/branches', async (_req, res) => {
    res.json(await listBranches(deps));
  });
  router.post('/branches', async (req, res) => {
    res.status(201).json(await createBranch(deps, actorOf(req), createBranchSchema.parse(req.body ?? {})));
  });
  router.put('/applications/:appNo/branch', async (req, res) => {
    const { branchId, reason } = applicationBranchSchema.parse(req.body ?? {});
    res.json(await moveApplication(deps, actorOf(req), appNoParamsSchema.parse(req.params).appNo, branchId, reason));
  });
  router.post('/', async (req, res) => {
    res.status(201).json(await createStaff(deps, actorOf(req), createStaffSchema.parse(req.body ?? {})));
  });
  router.put('/:id/role', async (req, res) => {
    res.json(await changeStaffRole(deps, actorOf(req), staffIdSchema.parse(req.params).id, staffRoleSchema.parse(req.body ?? {}).role));
  });
  router.put('/:id/branch', async (req, res) => {
    res.json(await changeStaffBranch(deps, actorOf(req), staffIdSchema.parse(req.params).id, staffBranchSchema.parse(req.body ?? {}).branchId));
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
      example: { username: 'reviewer.li', displayName: '李审核', role: 'REVIEWER', phone: '13800138000', branchId: null },
    },
    'GET /branches': { summary: '分公司：应用数与人员数' },
    'POST /branches': { summary: '新增分公司', body: createBranchSchema, example: { code: 'SZ', name: '深圳分公司' } },
    'PUT /applications/:appNo/branch': {
      params: appNoParamsSchema,
      summary: '调整应用归属分公司（其待审事项随之转至新分公司）',
      body: applicationBranchSchema,
      example: { branchId: '00000000-0000-4000-8000-000000000001', reason: '客户迁至深圳' },
    },
    'PUT /:id/branch': { ...staff, summary: '调整人员所属分公司（null 为总部；其会话结束）', body: staffBranchSchema, example: { branchId: null } },
    'PUT /:id/role': { ...staff, summary: '变更角色（其登录会话结束，须重新登录）', body: staffRoleSchema, example: { role: 'OPERATOR' } },
    'POST /:id/disable': { ...staff, summary: '停用：立即结束其所有会话，不能再登录', body: disableStaffSchema, example: { reason: '人员离职' } },
    'POST /:id/enable': { ...staff, summary: '启用' },
    'POST /:id/password-reset': { ...staff, summary: '重置密码：新的初始密码以短信发送至其手机' },
  },
};
