/**
 * 开户完成 mail to the application's contact: the real activity against the database and the
 * outbox's SMTP server. A retried activity (the same onboarding) sends nothing twice.
 */
import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { createOnboardedMember, createTenant, fileHarness, outboxMessages } from '../support/harness';

describe('开户完成 mail', () => {
  const h = fileHarness();

  it('goes once to the contact, naming the member by number, and is recorded as sent', async () => {
    const { application } = await createTenant(h.services);
    const member = await createOnboardedMember(h.services, application.id, { name: '完成会员' });
    const workflowId = `member-onboarding:${randomUUID()}`;
    const acts = createActivities(h.services);
    const env = new MockActivityEnvironment({ workflowExecution: { workflowId, runId: randomUUID() }, activityId: '1' });
    const ctx = { workflowId, sessionId: randomUUID(), memberId: member.id };

    await env.run(acts.notifyOnboardingCompleted, ctx);
    await env.run(acts.notifyOnboardingCompleted, ctx);

    const mails = (await outboxMessages(h.config)).filter((m) => m.channel === 'mail' && m.to.includes(application.contactEmail));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe(`【云商通】会员开户完成（会员编号 ${member.bizUserId}）`);
    const row = await h.services.prisma.mailMessage.findUniqueOrThrow({ where: { idempotencyKey: `${workflowId}:completed-mail` } });
    expect(row).toMatchObject({ to: application.contactEmail, status: 'SENT' });
    expect(row.sentAt).not.toBeNull();
    expect(row.providerId).toBeTruthy();
  });

  it('fails (to be retried) when the member does not exist, recording nothing', async () => {
    const workflowId = `member-onboarding:${randomUUID()}`;
    const acts = createActivities(h.services);
    const env = new MockActivityEnvironment({ workflowExecution: { workflowId, runId: randomUUID() }, activityId: '1' });
    await expect(env.run(acts.notifyOnboardingCompleted, { workflowId, sessionId: randomUUID(), memberId: randomUUID() })).rejects.toThrow(/not found/);
    expect(await h.services.prisma.mailMessage.count({ where: { idempotencyKey: `${workflowId}:completed-mail` } })).toBe(0);
  });
});
