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
import type { ApplicationOnboarding, Prisma, PrismaClient } from '@prisma/client';
import type { ApplicationOnboardingStatus } from '../../domain/application-onboarding';
import { BusinessError } from '../../domain/errors';
import type { FieldCrypto } from '../../lib/adapters/field-crypto';
import { randomInitialPassword } from '../../lib/business/initial-passwords';
import type { SmsOutbox } from '../../lib/business/sms-outbox';
import { openSystemAccounts } from '../../lib/business/accounts';
import type { B2bStoreAssistant, Weiqifu } from '../../lib/adapters/payment-solutions';

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

export type EnvironmentName = 'TEST' | 'PRODUCTION';

/** The SMS of an environment's login: its number, initial password and where to sign in (seed 003 §5.3.1). */
export function environmentSmsKey(onboardingId: string, environment: EnvironmentName, resend = 0): string {
  return `app-activation:${onboardingId}:${environment.toLowerCase()}${resend ? `:resend:${resend}` : ''}`;
}

export function createApplicationOnboardingActivities(deps: {
  clock: Clock;
  prisma: PrismaClient;
  crypto: FieldCrypto;
  outbox: SmsOutbox;
  publicBaseUrl: string;
  testInitialPassword: string;
  b2bStoreAssistant: Pick<B2bStoreAssistant, 'open'>;
  weiqifu: Pick<Weiqifu, 'open'>;
}) {
  const { prisma, crypto, outbox } = deps;

  const load = async (onboardingId: string) => {
    const onboarding = await prisma.applicationOnboarding.findUnique({ where: { id: onboardingId } });
    if (!onboarding) throw new BusinessError('resource.not_found', '开通申请不存在');
    return onboarding;
  };

  const portalAddress = `${deps.publicBaseUrl.replace(/\/+$/, '')}/login`;

  /** Where each environment's pending password and application are kept on the onboarding. */
  const slot = (environment: EnvironmentName | 'BEFORE_ENVIRONMENTS') =>
    environment === 'TEST'
      ? ({ app: 'testApplicationId', pending: 'pendingTestPasswordEnc' } as const)
      : ({ app: 'applicationId', pending: 'pendingPasswordEnc' } as const);

  const smsBody = (environment: EnvironmentName | 'BEFORE_ENVIRONMENTS', customerName: string, appNo: string, password: string) =>
    environment === 'TEST'
      ? `【云商通】${customerName}的云商通二代测试环境已开通，测试应用编号${appNo}，初始密码${password}，登录地址${portalAddress}，首次登录须修改密码。`
      : environment === 'PRODUCTION'
        ? `【云商通】${customerName}的云商通二代应用已上线投产，生产环境应用编号${appNo}，初始密码${password}，登录地址${portalAddress}，首次登录须修改密码，并在门户获取秘钥、上传应用公钥、下载通联公钥。`
        : `【云商通】${customerName}的云商通二代应用已开通，应用编号${appNo}，初始密码${password}，登录地址${portalAddress}，请登录门户后立即修改密码。`;

  /** Sends an environment's pending initial password under `key`, then forgets it. A retry resends the same text, which the outbox recognises. */
  const sendPendingPassword = async (onboardingId: string, key: string, environment: EnvironmentName | 'BEFORE_ENVIRONMENTS') => {
    const onboarding = await load(onboardingId);
    const { app: appField, pending } = slot(environment);
    const pendingEnc = onboarding[pending];
    const applicationId = onboarding[appField];
    if (!pendingEnc || !applicationId) return;
    const app = await prisma.application.findUniqueOrThrow({ where: { id: applicationId } });
    await outbox.sendOnce({
      key,
      phone: crypto.decrypt(onboarding.legalRepPhoneEnc),
      template: 'APPLICATION_ACTIVATED',
      body: smsBody(environment, onboarding.customerName, app.appNo, crypto.decrypt(pendingEnc)),
    });
    await prisma.applicationOnboarding.update({ where: { id: onboardingId }, data: { [pending]: null } });
  };

  /** The next application number (both environments draw from one sequence: each has its own). */
  const nextAppNo = async (tx: Prisma.TransactionClient) => {
    // One number at a time: two activations never take the same one.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('application-app-no'))`;
    const [row] = await tx.$queryRaw<{ max: string | null }[]>`SELECT max("appNo") AS max FROM "Application" WHERE "appNo" ~ '^[0-9]{7}$'`;
    const max = row?.max;
    return String(Math.max(FIRST_APP_NO, max ? Number(max) + 1 : FIRST_APP_NO));
  };

  const cashierMerchantNo = (onboarding: { scenario: Prisma.JsonValue }) =>
    (onboarding.scenario as { cashier?: boolean }).cashier ? `560581${String(randomInt(100000)).padStart(5, '0')}A001` : null;

  /**
   * One environment's application with its accounts and login (only the password's hash is kept; the
   * password waits encrypted for its SMS). Done once: a retry returns what exists.
   */
  const createEnvironment = async (
    onboardingId: string,
    environment: EnvironmentName | 'BEFORE_ENVIRONMENTS',
    password: string,
    settings: (onboarding: ApplicationOnboarding) => Promise<Omit<Prisma.ApplicationUncheckedCreateInput, 'appNo'>>,
  ): Promise<{ applicationId: string; appNo: string }> => {
    const onboarding = await load(onboardingId);
    const { app: appField, pending } = slot(environment);
    const existing = onboarding[appField];
    if (existing) {
      const app = await prisma.application.findUniqueOrThrow({ where: { id: existing } });
      return { applicationId: app.id, appNo: app.appNo };
    }
    const passwordHash = await hash(password);
    const data = await settings(onboarding);
    return prisma.$transaction(async (tx) => {
      const appNo = await nextAppNo(tx);
      const app = await tx.application.create({ data: { ...data, appNo } });
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
      const now = deps.clock.now();
      await tx.applicationOnboarding.update({
        where: { id: onboarding.id },
        data: {
          [appField]: app.id,
          [pending]: crypto.encrypt(password),
          ...(environment === 'PRODUCTION' ? { liveAt: now } : { activatedAt: now }),
        },
      });
      const action = environment === 'PRODUCTION' ? 'app-onboarding.promoted' : 'app-onboarding.activated';
      await auditOnce(tx, { actorRole: 'SYSTEM', action, target: `app-onboarding:${onboarding.id}`, detail: { appNo, environment: data.environment } });
      return { applicationId: app.id, appNo };
    });
  };

  /**
   * What the application of a new customer starts with: from the onboarding's record, and the payment
   * merchants of the 支付解决方案 it chose, opened at the channel for this environment. They are opened
   * in this step, before its transaction: a retried step asks again with the same request number and
   * gets the same merchants (the channel keys them by it), so no number is made up here and no flow
   * code changed — flows in flight at an upgrade open theirs at their activation too.
   */
  const fromOnboarding = async (onboarding: ApplicationOnboarding, environment: EnvironmentName | 'BEFORE_ENVIRONMENTS') => {
    // The application belongs to the branch of whoever recorded the customer (headquarters staff: 总部直属).
    const recorder = await prisma.user.findUnique({ where: { id: onboarding.createdById }, select: { branchId: true } });
    const scenario = onboarding.scenario as { b2bStoreAssistant?: boolean; weiqifu?: boolean };
    // One request per onboarding and environment (a flow from before environments has its one application).
    const requestNo = `${onboarding.id}:${environment === 'TEST' ? 'T' : 'P'}`;
    return {
      name: onboarding.customerName,
      fundMode: onboarding.fundMode,
      contactEmail: onboarding.contactEmail,
      serviceProviderId: onboarding.serviceProviderId,
      ...(recorder?.branchId ? { branchId: recorder.branchId } : {}),
      cashierMerchantNo: cashierMerchantNo(onboarding),
      b2bMerchantNo: scenario.b2bStoreAssistant ? (await deps.b2bStoreAssistant.open(`${requestNo}:B2B`)).merchantNo : null,
      weiqifuMerchantNo: scenario.weiqifu ? await deps.weiqifu.open(`${requestNo}:WQF`) : null,
    };
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
          // The go-live round of a new customer: only its test environment exists yet.
          applicationId: onboarding.applicationId ?? onboarding.testApplicationId,
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
     * 自动开通配置 of a flow from before environments: its one application (the production one, live at
     * 上线投产) with a random initial password.
     */
    async activateApplication(req: { onboardingId: string }): Promise<{ applicationId: string; appNo: string }> {
      return createEnvironment(req.onboardingId, 'BEFORE_ENVIRONMENTS', randomInitialPassword(), async (o) => ({
        ...(await fromOnboarding(o, 'BEFORE_ENVIRONMENTS')),
        environment: 'PRODUCTION',
      }));
    },

    /**
     * 自动开通配置: the test environment (测试联调) — its own application number, accounts and login with
     * the deployment's test initial password (changed at first login), verified at the sandbox vendor.
     */
    async activateTestEnvironment(req: { onboardingId: string }): Promise<{ applicationId: string; appNo: string }> {
      return createEnvironment(req.onboardingId, 'TEST', deps.testInitialPassword, async (o) => ({
        ...(await fromOnboarding(o, 'TEST')),
        environment: 'TEST',
      }));
    },

    /**
     * 上线投产 approved: the production environment, live — its own application number, login with a
     * random initial password (never a shared default), no keys and no data of the test environment; its
     * settings (fund mode, custody, settlement, guarantee days, branch) are the test environment's.
     */
    async promoteToProduction(req: { onboardingId: string }): Promise<{ applicationId: string; appNo: string }> {
      return createEnvironment(req.onboardingId, 'PRODUCTION', randomInitialPassword(), async (o) => {
        const test = o.testApplicationId ? await prisma.application.findUnique({ where: { id: o.testApplicationId } }) : null;
        return {
          ...(await fromOnboarding(o, 'PRODUCTION')),
          ...(test
            ? {
                name: test.name,
                fundMode: test.fundMode,
                contactEmail: test.contactEmail,
                branchId: test.branchId,
                custodyMode: test.custodyMode,
                custodyBank: test.custodyBank,
                guaranteeConfirmDays: test.guaranteeConfirmDays,
                settlementMode: test.settlementMode,
              }
            : {}),
          environment: 'PRODUCTION',
          liveAt: deps.clock.now(),
        };
      });
    },

    /** The SMS of an environment's login to the legal representative: number, initial password, portal address. */
    async sendEnvironmentSms(req: { onboardingId: string; environment: EnvironmentName }): Promise<void> {
      await sendPendingPassword(req.onboardingId, environmentSmsKey(req.onboardingId, req.environment), req.environment);
    },

    /** The SMS to the legal representative: application number and initial password. */
    async sendActivationSms(req: { onboardingId: string }): Promise<void> {
      await sendPendingPassword(req.onboardingId, activationSmsKey(req.onboardingId), 'BEFORE_ENVIRONMENTS');
    },

    /**
     * 重发短信: a new initial password, only while the customer has not changed the first one — the test
     * login's (again the deployment's test password) while testing, else the flow's one application's.
     */
    async resendInitialPassword(req: { onboardingId: string; resend: number; environment?: 'TEST' }): Promise<{ sentTo: string }> {
      const onboarding = await load(req.onboardingId);
      const environment = req.environment ?? 'BEFORE_ENVIRONMENTS';
      const { app: appField, pending } = slot(environment);
      const applicationId = onboarding[appField];
      if (!applicationId) throw new BusinessError('app_onboarding.wrong_stage');
      const user = await prisma.user.findFirstOrThrow({ where: { applicationId, role: 'APPLICATION' } });
      if (!onboarding[pending]) {
        if (!user.mustChangePassword) throw new BusinessError('app_onboarding.password_changed');
        const password = environment === 'TEST' ? deps.testInitialPassword : randomInitialPassword();
        await prisma.$transaction([
          prisma.user.update({ where: { id: user.id }, data: { passwordHash: await hash(password), failedLogins: 0, lockedUntil: null } }),
          prisma.applicationOnboarding.update({ where: { id: onboarding.id }, data: { [pending]: crypto.encrypt(password) } }),
        ]);
        // Someone holding the old initial password is signed out.
        await prisma.$executeRaw`DELETE FROM "session" WHERE sess->'actor'->>'userId' = ${user.id}`;
      }
      const key = environment === 'TEST' ? environmentSmsKey(req.onboardingId, 'TEST', req.resend) : activationSmsKey(req.onboardingId, req.resend);
      await sendPendingPassword(req.onboardingId, key, environment);
      return { sentTo: onboarding.legalRepPhoneMasked };
    },

    /** 上线投产 approved in a flow from before environments: its one application is live. */
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
