import { Router } from 'express';
import type { AppDeps } from '../context';
import { actorOf, requireRole } from '../context';
import { cancelSchema, listWorkflowsSchema, workflowIdSchema } from './schemas';
import { cancelWorkflow, getWorkflow, listWorkflows } from './service';
import { closeWindowSchema, extendWindowSchema, windowIdSchema } from '../imports/schemas';
import { closeImportWindow, extendImportWindow, listImportWindows } from '../imports/service';
import { paginationSchema } from '../pagination';
import { enablementIdSchema } from '../statements/schemas';
import { configureEnablement, listEnablements } from '../statements/service';

export function operatorRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requireRole('OPERATOR'));
  router.get('/workflows', async (req, res) => {
    res.json(await listWorkflows(deps, listWorkflowsSchema.parse(req.query)));
  });
  router.get('/workflows/:workflowId', async (req, res) => {
    res.json(await getWorkflow(deps, workflowIdSchema.parse(req.params).workflowId));
  });
  router.post('/workflows/:workflowId/cancel', async (req, res) => {
    const { workflowId } = workflowIdSchema.parse(req.params);
    await cancelWorkflow(deps, actorOf(req), workflowId, cancelSchema.parse(req.body).reason);
    res.status(202).json({ workflowId, cancelled: true });
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
