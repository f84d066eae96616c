/**
 * What the application onboarding workflow (F7) does in the database: its
 * review rounds in the reviewer queue, its status for the branch's pages, and
 * the automatic configuration — the application, its login account and the
 * SMS that tells the legal representative the application number and initial
 * password. Every step is safe to run again.
 */
import { auditOnce } from '../audit';
import type { Clock } from '../../lib/adapters/clock';
import { createHash, randomInt } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import type { Prisma, PrismaClient } from '@prisma/client';
import type { ApplicationOnboardingStatus } from '../../domain/application-onboarding';
import { BusinessError } from '../../domain/errors';
import type { FieldCrypto } from '../../lib/adapters/field-crypto';
import { randomInitialPassword } from '../../lib/business/initial-passwords';
import type { SmsOutbox } from '../../lib/business/sms-outbox';
import { openSystemAccounts } from '../../lib/business/accounts';

/** The first application number handed out when no numeric one exists yet. */
const FIRST_APP_NO = 1002001;

/** A UUID derived from a name: the same review round always gets the same item, however often the activity runs. */
function nameUuid(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.charAt(16), 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function activationSmsKey(onboardingId: string, resend = 0): string {
  return resend ? `app-activation:${onboardingId}:resend:${resend}` : `app-activation:${onboardingId}`;
}

export function createApplicationOnboardingActivities(deps: { clock: Clock; prisma: PrismaClient; crypto: FieldCrypto; outbox: SmsOutbox }) {
  const { prisma, crypto, outbox } = deps;

  const load = async (onboardingId: string) => {
    const onboarding = await prisma.applicationOnboarding.findUnique({ where: { id: onboardingId } });
    if (!onboarding) throw new BusinessError('resource.not_found', '开通申请不存在');
    return onboarding;
  };

  /** Sends the pending initial password under `key`, then forgets it. A retry resends the same text, which the outbox recognises. */
  const sendPendingPassword = async (onboardingId: string, key: string) => {
    const onboarding = await load(onboardingId);
    if (!onboarding.pendingPasswordEnc || !onboarding.applicationId) return;
    const app = await prisma.application.findUniqueOrThrow({ where: { id: onboarding.applicationId } });
    await outbox.sendOnce({
      key,
      phone: crypto.decrypt(onboarding.legalRepPhoneEnc),
      template: 'APPLICATION_ACTIVATED',
      body: `【云商通】${onboarding.customerName}的云商通二代应用已开通，应用编号${app.appNo}，初始密码${crypto.decrypt(onboarding.pendingPasswordEnc)}，请登录门户后立即修改密码。`,
    });
    await prisma.applicationOnboarding.update({ where: { id: onboardingId }, data: { pendingPasswordEnc: null } });
  };

  return {
    /** One review round as an item of the reviewer queue (the same round → the same item). */
    async openApplicationReview(req: {
      onboardingId: string;
      kind: 'APPLICATION_ONBOARDING' | 'APPLICATION_GO_LIVE';
      round: number;
      submittedById: string;
      workflowId: string;
    }): Promise<string> {
      const onboarding = await load(req.onboardingId);
      const submitter = await prisma.user.findUnique({ where: { id: req.submittedById }, select: { displayName: true, username: true } });
      const id = nameUuid(`${req.onboardingId}:${req.kind}:${req.round}`);
      const what = req.kind === 'APPLICATION_ONBOARDING' ? '云商通产品开通' : '上线投产';
      await prisma.reviewItem.upsert({
        where: { id },
        update: {},
        create: {
          id,
          kind: req.kind,
          subjectId: onboarding.id,
          applicationId: onboarding.applicationId,
          title: `${what}：${onboarding.customerName}${req.round > 1 ? `（第${req.round}次提交）` : ''}`,
          applicantId: req.submittedById,
          applicantName: submitter ? `${submitter.displayName}（${submitter.username}）` : onboarding.createdByName,
          workflowId: req.workflowId,
        },
      });
      return id;
    },

    /** The status the branch's pages show; reasons go with the stage they explain. */
    async setApplicationOnboardingStatus(req: {
      onboardingId: string;
      status: ApplicationOnboardingStatus;
      reason: string | null;
      resubmitBy?: string;
    }): Promise<void> {
      const data: Prisma.ApplicationOnboardingUpdateInput = {
        status: req.status,
        resubmitBy: req.resubmitBy ? deps.clock.fromSystemTime(req.resubmitBy) : null,
      };
      if (req.status === 'RETURNED') data.returnedReason = req.reason;
      if (req.status === 'TESTING') data.goLiveReturnedReason = req.reason;
      if (req.status === 'CANCELLED' || req.status === 'EXPIRED') data.closedReason = req.reason;
      if (req.status === 'IN_REVIEW') data.submittedAt = deps.clock.now();
      await prisma.applicationOnboarding.update({ where: { id: req.onboardingId }, data });
    },

    /** 延期 of the return window: the new deadline on the branch's page, and in the audit log. */
    async extendResubmission(req: { onboardingId: string; operatorId: string; days: number; reason: string; resubmitBy: string }): Promise<void> {
      await prisma.$transaction([
        prisma.applicationOnboarding.updateMany({
          where: { id: req.onboardingId, status: 'RETURNED' },
          data: { resubmitBy: deps.clock.fromSystemTime(req.resubmitBy) },
        }),
        auditOnce(prisma, {
          actorId: req.operatorId,
          actorRole: 'OPERATOR',
          action: 'app-onboarding.extend',
          target: `app-onboarding:${req.onboardingId}`,
          detail: { days: req.days, reason: req.reason, resubmitBy: req.resubmitBy },
        }),
      ]);
    },

    /**
     * 自动开通配置: the application (next application number), its login
     * account with a random initial password (only the hash is kept; the
     * password itself waits encrypted for its SMS), the cashier merchant when
     * the customer opened 收银宝. Done once: a retry returns what exists.
     */
    async activateApplication(req: { onboardingId: string }): Promise<{ applicationId: string; appNo: string }> {
      const onboarding = await load(req.onboardingId);
      if (onboarding.applicationId) {
        const app = await prisma.application.findUniqueOrThrow({ where: { id: onboarding.applicationId } });
        return { applicationId: app.id, appNo: app.appNo };
      }
      const password = randomInitialPassword();
      const passwordHash = await hash(password);
      const scenario = onboarding.scenario as { cashier?: boolean };
      // The application belongs to the branch of whoever recorded the customer (headquarters staff: 总部直属).
      const recorder = await prisma.user.findUnique({ where: { id: onboarding.createdById }, select: { branchId: true } });
      return prisma.$transaction(async (tx) => {
        const [row] = await tx.$queryRaw<{ max: string | null }[]>`SELECT max("appNo") AS max FROM "Application" WHERE "appNo" ~ '^[0-9]{7}$'`;
        const max = row?.max;
        const appNo = String(Math.max(FIRST_APP_NO, max ? Number(max) + 1 : FIRST_APP_NO));
        const app = await tx.application.create({
          data: {
            appNo,
            name: onboarding.customerName,
            fundMode: onboarding.fundMode,
            contactEmail: onboarding.contactEmail,
            serviceProviderId: onboarding.serviceProviderId,
            ...(recorder?.branchId ? { branchId: recorder.branchId } : {}),
            cashierMerchantNo: scenario.cashier ? `560581${String(randomInt(100000)).padStart(5, '0')}A001` : null,
          },
        });
        // Its clearing, guarantee, commission and fee accounts open with it.
        await openSystemAccounts(tx, app.id);
        await tx.user.create({
          data: {
            username: appNo,
            passwordHash,
            role: 'APPLICATION',
            displayName: onboarding.customerName,
            applicationId: app.id,
            mustChangePassword: true,
            phoneEnc: onboarding.legalRepPhoneEnc,
            phoneMasked: onboarding.legalRepPhoneMasked,
          },
        });
        await tx.applicationOnboarding.update({
          where: { id: onboarding.id },
          data: { applicationId: app.id, activatedAt: deps.clock.now(), pendingPasswordEnc: crypto.encrypt(password) },
        });
        await auditOnce(tx, { actorRole: 'SYSTEM', action: 'app-onboarding.activated', target: `app-onboarding:${onboarding.id}`, detail: { appNo } });
        return { applicationId: app.id, appNo };
      });
    },

    /** The SMS to the legal representative: application number and initial password. */
    async sendActivationSms(req: { onboardingId: string }): Promise<void> {
      await sendPendingPassword(req.onboardingId, activationSmsKey(req.onboardingId));
    },

    /** 重发短信: a new initial password, only while the customer has not changed the first one. */
    async resendInitialPassword(req: { onboardingId: string; resend: number }): Promise<{ sentTo: string }> {
      const onboarding = await load(req.onboardingId);
      if (!onboarding.applicationId) throw new BusinessError('app_onboarding.wrong_stage');
      const user = await prisma.user.findFirstOrThrow({ where: { applicationId: onboarding.applicationId, role: 'APPLICATION' } });
      if (!onboarding.pendingPasswordEnc) {
        if (!user.mustChangePassword) throw new BusinessError('app_onboarding.password_changed');
        const password = randomInitialPassword();
        await prisma.$transaction([
          prisma.user.update({ where: { id: user.id }, data: { passwordHash: await hash(password), failedLogins: 0, lockedUntil: null } }),
          prisma.applicationOnboarding.update({ where: { id: onboarding.id }, data: { pendingPasswordEnc: crypto.encrypt(password) } }),
        ]);
        // Someone holding the old initial password is signed out.
        await prisma.$executeRaw`DELETE FROM "session" WHERE sess->'actor'->>'userId' = ${user.id}`;
      }
      await sendPendingPassword(req.onboardingId, activationSmsKey(req.onboardingId, req.resend));
      return { sentTo: onboarding.legalRepPhoneMasked };
    },

    /** 上线投产 approved: the application is live. */
    async markApplicationLive(req: { onboardingId: string }): Promise<void> {
      const onboarding = await load(req.onboardingId);
      if (!onboarding.applicationId || onboarding.liveAt) return;
      const now = deps.clock.now();
      await prisma.$transaction([
        prisma.application.update({ where: { id: onboarding.applicationId }, data: { liveAt: now } }),
        prisma.applicationOnboarding.update({ where: { id: onboarding.id }, data: { liveAt: now } }),
        auditOnce(prisma, {
          actorRole: 'SYSTEM',
          action: 'app-onboarding.live',
          target: `app-onboarding:${onboarding.id}`,
          detail: { applicationId: onboarding.applicationId },
        }),
      ]);
    },
  };
}
