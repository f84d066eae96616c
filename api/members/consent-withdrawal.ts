/**
 * 撤回个人信息处理授权 (PIPL Art. 15), by the member in its portal or recorded by its platform on the
 * member's request. The member's flows that are still processing its personal information — a running
 * onboarding, a 对公户 verification — are ended first, with the operator's 取消 and the withdrawal as
 * its reason; then every consent is marked withdrawn and the withdrawal audited with the flows it ended.
 * Ending first leaves nothing half-done: when Temporal cannot be reached nothing is recorded (503, try
 * again), and a flow that ended meanwhile is skipped. What was processed before stays as it was.
 */
import { BusinessError } from '../../domain/errors';
import { TERMINAL_STAGES } from '../../domain/onboarding';
import { withdrawConsent } from '../../lib/business/consents';
import { cancelFlowUpdate } from '../../workflows/operator-messages';
import { auditOf } from '../audit';
import type { Actor, AppDeps } from '../context';
import { runUpdate } from '../workflow-calls';

export async function withdrawMemberConsent(deps: AppDeps, actor: Actor, memberId: string, reason: string): Promise<void> {
  const { prisma, sql, clock } = deps.services;
  const member = await prisma.member.findUniqueOrThrow({
    where: { id: memberId },
    select: {
      consentWithdrawnAt: true,
      onboardings: { where: { stage: { notIn: [...TERMINAL_STAGES] } }, select: { workflowId: true } },
      corporateAccountVerifications: { where: { status: { in: ['DEPOSITING', 'AWAITING_CONFIRMATION'] } }, select: { workflowId: true } },
    },
  });
  if (member.consentWithdrawnAt) throw new BusinessError('consent.already_withdrawn');

  const flowsEnded: string[] = [];
  for (const { workflowId } of [...member.onboardings, ...member.corporateAccountVerifications]) {
    try {
      await runUpdate(deps, workflowId, cancelFlowUpdate, { operatorId: actor.userId, reason: `会员撤回个人信息处理授权：${reason}` }, 'flow.finished');
      flowsEnded.push(workflowId);
    } catch (err) {
      if (!(err instanceof BusinessError && err.id === 'flow.finished')) throw err;
    }
  }

  if (!(await withdrawConsent(sql, { memberId, reason, at: clock.now() }))) throw new BusinessError('consent.already_withdrawn');
  await prisma.auditLog.create(auditOf(actor, 'member.consent.withdraw', `member:${memberId}`, { reason, flowsEnded }));
}
