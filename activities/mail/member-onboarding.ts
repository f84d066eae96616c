/** Mail to the platform's contact about its members' onboarding. */
import type pg from 'pg';
import type { Clock } from '../../lib/adapters/clock';
import { utc } from '../../lib/adapters/db';
import type { Mailer } from '../../lib/adapters/mail';
import type { StepContext } from '../db/member-onboarding';

interface CompletedMember {
  bizUserId: string;
  displayName: string;
  type: 'INDIVIDUAL' | 'ENTERPRISE';
  applicationName: string;
  appNo: string;
  contactEmail: string;
}

// Plain SQL (services.sql): every completed onboarding sends one, so it is on the member path's load.
export function createMailActivities(deps: { clock: Clock; sql: pg.Pool; mailer: Mailer }) {
  const { sql, mailer } = deps;
  return {
    /** "开户完成" to the application's contact; sent at most once per onboarding. */
    async notifyOnboardingCompleted(ctx: StepContext): Promise<void> {
      const { rows } = await sql.query<CompletedMember>({
        name: 'completed-mail-member',
        text: `SELECT m."bizUserId", m."displayName", m.type, a.name AS "applicationName", a."appNo", a."contactEmail"
                 FROM "Member" m JOIN "Application" a ON a.id = m."applicationId" WHERE m.id = $1::uuid`,
        values: [ctx.memberId],
      });
      const member = rows[0];
      if (!member) throw new Error(`member ${ctx.memberId} not found`);
      // The subject names the member by its number only: mail subjects travel and are stored unencrypted.
      const subject = `【云商通】会员开户完成（会员编号 ${member.bizUserId}）`;
      const text = [
        `${member.applicationName}（应用编号 ${member.appNo}）：`,
        '',
        `会员 ${member.displayName}（会员编号 ${member.bizUserId}，${member.type === 'ENTERPRISE' ? '企业会员' : '个人会员'}）已完成开户：`,
        '信息采集、手机绑定、协议签约均已完成，会员状态为「正常」。',
      ].join('\n');
      // The first attempt records the message; a retry finds it (and sends nothing once it was sent).
      const recorded = await sql.query<{ id: string; to: string; status: string }>({
        name: 'completed-mail-record',
        text: `INSERT INTO "MailMessage" (id, "idempotencyKey", "to", subject, "createdAt")
               VALUES (gen_random_uuid(), $1, $2, $3, (now() AT TIME ZONE 'UTC'))
               ON CONFLICT ("idempotencyKey") DO UPDATE SET "idempotencyKey" = EXCLUDED."idempotencyKey"
               RETURNING id, "to", status`,
        values: [`${ctx.workflowId}:completed-mail`, member.contactEmail, subject],
      });
      const row = recorded.rows[0]!;
      if (row.status === 'SENT') return;
      const providerId = await mailer.send({ to: row.to, subject, text });
      await sql.query({
        name: 'completed-mail-sent',
        text: `UPDATE "MailMessage" SET status = 'SENT', "providerId" = $2, "sentAt" = ($3::timestamptz AT TIME ZONE 'UTC') WHERE id = $1::uuid`,
        values: [row.id, providerId, utc(deps.clock.now())],
      });
    },
  };
}
