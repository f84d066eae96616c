import { Router } from 'express';
import type { AppDeps } from '../context';
import { actorOf, requireRole } from '../context';
import { cancelSchema, listWorkflowsSchema, workflowIdSchema } from './schemas';
import { cancelWorkflow, getWorkflow, listWorkflows } from './service';

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
  return router;
}
