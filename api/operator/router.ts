import { Router } from 'express';
import type { AppDeps } from '../context';
import { actorOf, requireRole } from '../context';
import { extensionSchema, listWorkflowsSchema, operatorReasonSchema, providerIdSchema, providerOpenApiSchema, workflowIdSchema } from './schemas';
import { listProviders, setProviderOpenApi } from './providers';
import { getWorkflow, listWorkflows, operateWorkflow } from './service';
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
