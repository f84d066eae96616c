import { Router } from 'express';
import type { AppDeps } from '../context';
import { actorOf, requireRole } from '../context';
import { addMemberSchema, listMembersSchema, memberIdSchema } from './schemas';
import { addMember, getMember, listMembers, reissueOnboarding, rotateOnboardingLink } from './service';

export function membersRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requireRole('APPLICATION'));

  router.get('/', async (req, res) => {
    res.json(await listMembers(deps, actorOf(req), listMembersSchema.parse(req.query)));
  });
  router.post('/', async (req, res) => {
    res.status(201).json(await addMember(deps, actorOf(req), addMemberSchema.parse(req.body)));
  });
  router.get('/:id', async (req, res) => {
    res.json(await getMember(deps, actorOf(req), memberIdSchema.parse(req.params).id));
  });
  router.post('/:id/onboarding', async (req, res) => {
    res.status(201).json(await reissueOnboarding(deps, actorOf(req), memberIdSchema.parse(req.params).id));
  });
  router.post('/:id/onboarding/link', async (req, res) => {
    res.json(await rotateOnboardingLink(deps, actorOf(req), memberIdSchema.parse(req.params).id));
  });
  return router;
}
