import { Router } from 'express';
import type { AppDeps } from '../context';
import { actorOf, requireRole } from '../context';
import type { RouterDoc } from '../route-docs';
import { extensionSchema, listWorkflowsSchema, operatorReasonSchema, providerIdSchema, providerOpenApiSchema, workflowIdSchema } from './schemas';
import { listProviders, setProviderOpenApi } from './providers';
import { getWorkflow, listWorkflows, operateWorkflow } from './service';
import { verificationOutage } from './verification-outage';
import { closeWindowSchema, extendWindowSchema, windowIdSchema } from '../batch-import/schemas';
import { closeImportWindow, extendImportWindow, listImportWindows } from '../batch-import/service';
import { paginationSchema } from '../pagination';
import { enablementIdSchema } from '../monthly-statements/schemas';
import { configureEnablement, listEnablements } from '../monthly-statements/service';

export function operatorRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requireRole('OPERATOR'));
  // 服务商对接配置: open a provider's service-provider mode of the open API.
  router.get('/providers', async (_req, res) => {
    res.json(await listProviders(deps));
  });
  router.put('/providers/:id/open-api', async (req, res) => {
    const { id } = providerIdSchema.parse(req.params);
    res.json(await setProviderOpenApi(deps, actorOf(req), id, providerOpenApiSchema.parse(req.body ?? {}).enabled));
  });
  // 流程监控: every instance of every flow, and the four operator actions (each needs a reason).
  router.get('/workflows', async (req, res) => {
    res.json(await listWorkflows(deps, listWorkflowsSchema.parse(req.query)));
  });
  router.get('/verification-outage', async (_req, res) => {
    res.json(await verificationOutage(deps));
  });
  router.get('/workflows/:workflowId', async (req, res) => {
    res.json(await getWorkflow(deps, workflowIdSchema.parse(req.params).workflowId));
  });
  router.post('/workflows/:workflowId/cancel', async (req, res) => {
    const { workflowId } = workflowIdSchema.parse(req.params);
    res.json(await operateWorkflow(deps, actorOf(req), workflowId, 'cancel', operatorReasonSchema.parse(req.body ?? {})));
  });
  router.post('/workflows/:workflowId/retry', async (req, res) => {
    const { workflowId } = workflowIdSchema.parse(req.params);
    res.json(await operateWorkflow(deps, actorOf(req), workflowId, 'retry', operatorReasonSchema.parse(req.body ?? {})));
  });
  router.post('/workflows/:workflowId/extension', async (req, res) => {
    const { workflowId } = workflowIdSchema.parse(req.params);
    res.json(await operateWorkflow(deps, actorOf(req), workflowId, 'extend', extensionSchema.parse(req.body ?? {})));
  });
  router.post('/workflows/:workflowId/resend', async (req, res) => {
    const { workflowId } = workflowIdSchema.parse(req.params);
    res.json(await operateWorkflow(deps, actorOf(req), workflowId, 'resend', operatorReasonSchema.parse(req.body ?? {})));
  });
  // 会员批导入口: every application's windows; close early or extend (validated and audited by the workflow).
  router.get('/import-windows', async (req, res) => {
    res.json(await listImportWindows(deps, paginationSchema.parse(req.query)));
  });
  router.post('/import-windows/:id/extension', async (req, res) => {
    const { days, reason } = extendWindowSchema.parse(req.body ?? {});
    res.json(await extendImportWindow(deps, actorOf(req), windowIdSchema.parse(req.params).id, days, reason));
  });
  router.post('/import-windows/:id/closing', async (req, res) => {
    res.json(await closeImportWindow(deps, actorOf(req), windowIdSchema.parse(req.params).id, closeWindowSchema.parse(req.body ?? {}).reason));
  });
  // 月对账单开通: HQ configures what a branch reviewer approved.
  router.get('/statement-enablements', async (_req, res) => {
    res.json(await listEnablements(deps));
  });
  router.post('/statement-enablements/:id/configuration', async (req, res) => {
    res.json(await configureEnablement(deps, actorOf(req), enablementIdSchema.parse(req.params).id));
  });
  return router;
}

const workflow = { params: workflowIdSchema } as const;
/** 运营（总部）in the portal's API document: 流程监控, 会员批导入口, 月对账单开通, 服务商对接配置. */
export const operatorDoc: RouterDoc = {
  tag: '运营',
  admits: ['OPERATOR'],
  routes: {
    'GET /providers': { summary: '服务商对接配置：服务商与其开放接口模式' },
    'PUT /providers/:id/open-api': {
      summary: '开通或关闭服务商模式（记审计）',
      params: providerIdSchema,
      body: providerOpenApiSchema,
      example: { enabled: true },
    },
    'GET /workflows': { summary: '流程监控：所有流程实例（按流程、环节、等待方、停滞天数筛选）', query: listWorkflowsSchema },
    'GET /verification-outage': { summary: '认证服务告警：认证中的会员数、最早等待时间，超过告警阈值即为认证服务异常' },
    'GET /workflows/:workflowId': { ...workflow, summary: '流程详情：当前状态、历史与可执行的操作' },
    'POST /workflows/:workflowId/cancel': { ...workflow, summary: '终止流程（须填原因）', body: operatorReasonSchema, example: { reason: '会员申请注销' } },
    'POST /workflows/:workflowId/retry': {
      ...workflow,
      summary: '重试失败的步骤（须填原因）',
      body: operatorReasonSchema,
      example: { reason: '银行通道已恢复' },
    },
    'POST /workflows/:workflowId/extension': {
      ...workflow,
      summary: '延长期限（1–30 天，须填原因）',
      body: extensionSchema,
      example: { reason: '会员出差，申请延期', days: 7 },
    },
    'POST /workflows/:workflowId/resend': { ...workflow, summary: '重发通知（须填原因）', body: operatorReasonSchema, example: { reason: '会员未收到短信' } },
    'GET /import-windows': { summary: '会员批导入口：各应用的窗口', query: paginationSchema },
    'POST /import-windows/:id/extension': {
      summary: '延长批导窗口',
      params: windowIdSchema,
      body: extendWindowSchema,
      example: { days: 3, reason: '应用数据整理中' },
    },
    'POST /import-windows/:id/closing': { summary: '提前关闭批导窗口', params: windowIdSchema, body: closeWindowSchema, example: { reason: '导入已完成' } },
    'GET /statement-enablements': { summary: '月对账单开通：分公司已审核的申请' },
    'POST /statement-enablements/:id/configuration': { summary: '月对账单开通：完成配置', params: enablementIdSchema },
  },
};
