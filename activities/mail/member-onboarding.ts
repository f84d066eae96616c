/** Mail to the platform's contact about its members' onboarding. */
import type { Clock } from '../../lib/adapters/clock';
import type { PrismaClient } from '@prisma/client';
import type { Mailer } from '../../lib/adapters/mail';
import type { StepContext } from '../db/member-onboarding';

export function createMailActivities(deps: { clock: Clock; prisma: PrismaClient; mailer: Mailer }) {
  const { prisma, mailer } = deps;
  return {
    /** "开户完成" to the application's contact; sent at most once per onboarding. */
    async notifyOnboardingCompleted(ctx: StepContext): Promise<void> {
      const member = await prisma.member.findUniqueOrThrow({
        where: { id: ctx.memberId },
        include: { application: true },
      });
      // The subject names the member by its number only: mail subjects travel and are stored unencrypted.
      const subject = `【云商通】会员开户完成（会员编号 ${member.bizUserId}）`;
      const text = [
        `${member.application.name}（应用编号 ${member.application.appNo}）：`,
        '',
        `会员 ${member.displayName}（会员编号 ${member.bizUserId}，${member.type === 'ENTERPRISE' ? '企业会员' : '个人会员'}）已完成开户：`,
        '信息采集、手机绑定、协议签约均已完成，会员状态为「正常」。',
      ].join('\n');
      const key = `${ctx.workflowId}:completed-mail`;
      const row = await prisma.mailMessage.upsert({
        where: { idempotencyKey: key },
        update: {},
        create: { idempotencyKey: key, to: member.application.contactEmail, subject },
      });
      if (row.status === 'SENT') return;
      const providerId = await mailer.send({ to: row.to, subject, text });
      await prisma.mailMessage.update({ where: { id: row.id }, data: { status: 'SENT', providerId, sentAt: deps.clock.now() } });
    },
  };
}
