import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Activities } from '../../activities';
import type { FlowStateReport } from '../../activities/db/flow-states';
import { consoleActivities } from '../../test/support/console-activities';
import { eventually } from '../../test/support/eventually';
import { keepHistory } from '../../test/support/histories';
import { startWorkflowTestEnv, workflowBundleOf } from '../../test/support/workflow-env';
import { TASK_QUEUE, memberOnboardingWorkflowId } from '../ids';
import {
  type MemberOnboardingInput,
  bindPhoneUpdate,
  cancelSignal,
  confirmUpdate,
  linkRotatedSignal,
  requestPhoneCodeUpdate,
  requestSigningCodeUpdate,
  signAgreementUpdate,
  statusQuery,
  submitCompanyUpdate,
  submitLegalRepresentativeUpdate,
  submitLicencesUpdate,
  submitRealNameUpdate,
} from './messages';
import { memberOnboarding } from './workflow';
import { cancelFlowUpdate, extendDeadlineUpdate, resendSmsUpdate, retryStepUpdate } from '../operator-messages';

const DAY = 24 * 60 * 60 * 1000;
const person = { name: '张三', idNumber: '11010519491231002X', cardNumber: '6222021234567890128', phone: '13800138000' };

/** Typed activity doubles that record their calls; codes are "123456". */
function fakeActivities(overrides: Partial<Activities> = {}) {
  const calls: { name: string; args: unknown }[] = [];
  const record =
    <R>(name: string, result: R) =>
    async (args: unknown) => {
      calls.push({ name, args });
      return result;
    };
  const console = consoleActivities();
  // A member action writes its stage change to the console itself: kept with the other reports.
  const reportWith = async (args: { report?: FlowStateReport | null }) => {
    if (args.report) await console.activities.recordFlowState!(args.report);
  };
  const checkCode = (name: string) => async (args: { code: string; report?: FlowStateReport }) => {
    calls.push({ name, args });
    if (args.code !== '123456') {
      throw ApplicationFailure.create({ type: 'sms.code_wrong', message: '短信验证码错误', nonRetryable: true });
    }
    await reportWith(args);
  };
  const sent = { challengeId: 'c1', sentTo: '138****8000', sentAt: new Date(0).toISOString() };
  const activities: Activities = {
    ...console.activities,
    sendOnboardingReminder: record('sendOnboardingReminder', { sentTo: '138****8000' }),
    extendOnboardingLink: record('extendOnboardingLink', undefined),
    verifyFourElements: record('verifyFourElements', { ok: true as const }),
    saveRealName: record('saveRealName', undefined),
    // Verifies with the (possibly overridden) four-element check and saves only what passed.
    submitRealName: async (args) => {
      calls.push({ name: 'submitRealName', args });
      const verdict = await activities.verifyFourElements(args.data);
      if (verdict.ok) {
        calls.push({ name: 'saveRealName', args });
        await reportWith(args);
      }
      return verdict;
    },
    saveCompany: record('saveCompany', undefined),
    saveLegalRepresentative: record('saveLegalRepresentative', undefined),
    submitLegalRepresentative: record('submitLegalRepresentative', { ok: true as const }),
    saveLicences: record('saveLicences', undefined),
    sendPhoneBindingCode: record('sendPhoneBindingCode', sent),
    sendSigningCode: record('sendSigningCode', sent),
    bindPhone: checkCode('bindPhone'),
    signAgreement: checkCode('signAgreement'),
    closeOnboarding: record('closeOnboarding', undefined),
    notifyOnboardingCompleted: record('notifyOnboardingCompleted', undefined),
    confirmProxyOnboarding: record('confirmProxyOnboarding', undefined),
    sendProxyConfirmation: record('sendProxyConfirmation', { sentTo: '138****8000' }),
  } as Activities;
  Object.assign(activities, overrides);
  return { activities, calls, console, count: (name: string) => calls.filter((c) => c.name === name).length };
}

describe('member onboarding workflow', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await startWorkflowTestEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  async function withWorker<T>(activities: Activities, fn: () => Promise<T>): Promise<T> {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUE,
      workflowBundle: await workflowBundleOf(require.resolve('./workflow')),
      activities,
    });
    return worker.runUntil(fn());
  }

  async function start(type: 'INDIVIDUAL' | 'ENTERPRISE', attempt = 1, bizUserId = randomUUID().slice(0, 8), mode: 'SELF_SERVICE' | 'PROXY' = 'SELF_SERVICE') {
    const now = await env.currentTimeMs();
    const input: MemberOnboardingInput = {
      sessionId: randomUUID(),
      memberId: randomUUID(),
      applicationId: randomUUID(),
      memberType: type,
      mode,
      expiresAt: new Date(now + 7 * DAY).toISOString(),
    };
    const workflowId = memberOnboardingWorkflowId('APP001', bizUserId, attempt);
    const handle = await env.client.workflow.start(memberOnboarding, { workflowId, taskQueue: TASK_QUEUE, args: [input] });
    return { handle, input, bizUserId };
  }

  async function failureType(promise: Promise<unknown>): Promise<string | undefined> {
    try {
      await promise;
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) return err.cause.type ?? undefined;
      throw err;
    }
    return undefined;
  }

  it('proxy onboarding starts at confirmation, sends the confirmation SMS (again on rotation), and confirming sends the binding code', async () => {
    const fake = fakeActivities();
    await withWorker(fake.activities, async () => {
      const { handle } = await start('ENTERPRISE', 1, undefined, 'PROXY');
      let status = await handle.query(statusQuery);
      expect(status).toMatchObject({ stage: 'CONFIRMATION', nextStep: null, stepsDone: ['COMPANY', 'LEGAL_REPRESENTATIVE', 'LICENCES'] });
      expect(await failureType(handle.executeUpdate(bindPhoneUpdate, { args: [{ code: '123456' }] }))).toBe('onboarding.wrong_stage');
      await handle.signal(linkRotatedSignal, { version: 2 });
      const confirmed = await handle.executeUpdate(confirmUpdate, { args: [] });
      expect(confirmed).toMatchObject({ stage: 'PHONE_BINDING', phoneCodeSentTo: '138****8000' });
      expect(fake.calls.filter((c) => c.name === 'sendProxyConfirmation').map((c) => (c.args as { version: number }).version)).toEqual([1, 2]);
      expect(fake.count('sendPhoneBindingCode')).toBe(1);
      await handle.executeUpdate(bindPhoneUpdate, { args: [{ code: '123456' }] });
      status = await handle.executeUpdate(signAgreementUpdate, { args: [{ code: '123456', client: { ip: '10.0.0.1', userAgent: 'ua' } }] });
      expect(status.stage).toBe('COMPLETED');
      expect(await handle.result()).toBe('COMPLETED');
      const signed = fake.calls.find((c) => c.name === 'signAgreement')!.args as { client: unknown };
      expect(signed.client).toEqual({ ip: '10.0.0.1', userAgent: 'ua' });
      await keepHistory(env.client, handle.workflowId, 'proxy-rotated-confirmed-completed');
      // The same path with one local activity per member action (MEMBER_ACTION_ONE_ACTIVITY_PATCH).
      await keepHistory(env.client, handle.workflowId, 'one-activity-proxy-confirmed-completed');
    });
  });

  it('an unconfirmed proxy onboarding expires after 7 days like a self-service one', async () => {
    const fake = fakeActivities();
    await withWorker(fake.activities, async () => {
      const { handle } = await start('INDIVIDUAL', 1, undefined, 'PROXY');
      expect(await handle.result()).toBe('EXPIRED');
      expect(fake.count('closeOnboarding')).toBe(1);
      expect(fake.count('confirmProxyOnboarding')).toBe(0);
      await keepHistory(env.client, handle.workflowId, 'proxy-expired');
    });
  });

  it('when an individual completes all three stages, the member is onboarded and the platform is mailed once', async () => {
    const fake = fakeActivities();
    await withWorker(fake.activities, async () => {
      const { handle } = await start('INDIVIDUAL');
      const afterInfo = await handle.executeUpdate(submitRealNameUpdate, { args: [person] });
      expect(afterInfo.stage).toBe('PHONE_BINDING');
      await handle.executeUpdate(requestPhoneCodeUpdate, { args: [{ source: 'ON_FILE' }] });
      const afterBind = await handle.executeUpdate(bindPhoneUpdate, { args: [{ code: '123456' }] });
      expect(afterBind.stage).toBe('AGREEMENT_SIGNING');
      expect(afterBind.signingCodeSentTo).toBe('138****8000');
      const afterSign = await handle.executeUpdate(signAgreementUpdate, { args: [{ code: '123456' }] });
      expect(afterSign.stage).toBe('COMPLETED');
      expect(await handle.result()).toBe('COMPLETED');
      expect(afterSign.history.map((h) => h.stage)).toEqual(['INFORMATION', 'PHONE_BINDING', 'AGREEMENT_SIGNING', 'COMPLETED']);
      await keepHistory(env.client, handle.workflowId, 'individual-completed');
      // The same path with one local activity per member action (MEMBER_ACTION_ONE_ACTIVITY_PATCH).
      await keepHistory(env.client, handle.workflowId, 'one-activity-individual-completed');
    });
    expect(fake.count('notifyOnboardingCompleted')).toBe(1);
    expect(fake.count('sendSigningCode')).toBe(1); // sent automatically when the phone was bound
    expect(fake.count('closeOnboarding')).toBe(0);
  });

  it('when the member leaves after information collection and returns days later, it continues at phone binding', async () => {
    const fake = fakeActivities();
    await withWorker(fake.activities, async () => {
      const { handle } = await start('INDIVIDUAL');
      await handle.executeUpdate(submitRealNameUpdate, { args: [person] });
      await env.sleep(3 * DAY);
      const status = await handle.query(statusQuery);
      expect(status.stage).toBe('PHONE_BINDING');
      expect(status.stepsDone).toEqual(['REAL_NAME']);
      expect(status.waitingFor).toBe('member');
      await handle.executeUpdate(requestPhoneCodeUpdate, { args: [{ source: 'ON_FILE' }] });
      await handle.executeUpdate(bindPhoneUpdate, { args: [{ code: '123456' }] });
      await handle.executeUpdate(signAgreementUpdate, { args: [{ code: '123456' }] });
      expect(await handle.result()).toBe('COMPLETED');
      await keepHistory(env.client, handle.workflowId, 'left-and-resumed-completed');
      // The same path with one local activity per member action (MEMBER_ACTION_ONE_ACTIVITY_PATCH).
      await keepHistory(env.client, handle.workflowId, 'one-activity-left-and-resumed-completed');
    });
  });

  it('when 7 days pass without completion, the workflow ends as expired and waits for nobody', async () => {
    const fake = fakeActivities();
    await withWorker(fake.activities, async () => {
      const { handle } = await start('INDIVIDUAL');
      await handle.executeUpdate(submitRealNameUpdate, { args: [person] });
      expect(await handle.result()).toBe('EXPIRED');
      const status = await handle.query(statusQuery);
      expect(status.stage).toBe('EXPIRED');
      expect(status.waitingFor).toBe('nobody');
      await keepHistory(env.client, handle.workflowId, 'expired');
    });
    expect(fake.calls.find((c) => c.name === 'closeOnboarding')?.args).toMatchObject({ stage: 'EXPIRED' });
    expect(fake.count('notifyOnboardingCompleted')).toBe(0);
  });

  it('a link given as a duration expires that long after the start, whatever instant the API clock wrote beside it', async () => {
    const fake = fakeActivities();
    await withWorker(fake.activities, async () => {
      const startedAt = await env.currentTimeMs();
      const workflowId = memberOnboardingWorkflowId('APP001', randomUUID().slice(0, 8), 1);
      // An API clock 38 days ahead must not make the flow wait 45 days.
      const input: MemberOnboardingInput = {
        sessionId: randomUUID(),
        memberId: randomUUID(),
        applicationId: randomUUID(),
        memberType: 'INDIVIDUAL',
        mode: 'SELF_SERVICE',
        expiresAt: new Date(startedAt + 45 * DAY).toISOString(),
        validityMs: 7 * DAY,
      };
      const handle = await env.client.workflow.start(memberOnboarding, { workflowId, taskQueue: TASK_QUEUE, args: [input] });
      expect(await handle.result()).toBe('EXPIRED');
      const { startTime, closeTime } = await handle.describe();
      expect(closeTime!.getTime() - startTime.getTime()).toBeGreaterThanOrEqual(7 * DAY);
      expect(closeTime!.getTime() - startTime.getTime()).toBeLessThan(8 * DAY);
      await keepHistory(env.client, handle.workflowId, 'expired-by-validity');
    });
  });

  it('when the link is re-issued after expiry, a new attempt runs beside the expired one', async () => {
    const fake = fakeActivities();
    await withWorker(fake.activities, async () => {
      const first = await start('INDIVIDUAL', 1);
      expect(await first.handle.result()).toBe('EXPIRED');
      const second = await start('INDIVIDUAL', 2, first.bizUserId);
      expect(second.handle.workflowId).not.toBe(first.handle.workflowId);
      const status = await second.handle.executeUpdate(submitRealNameUpdate, { args: [person] });
      expect(status.stage).toBe('PHONE_BINDING');
      await second.handle.signal(cancelSignal, { reason: 'test cleanup' });
      expect(await second.handle.result()).toBe('CANCELLED');
      await keepHistory(env.client, second.handle.workflowId, 'reissued-cancelled');
    });
  });

  it('when the same onboarding is started twice, Temporal refuses the second start', async () => {
    const fake = fakeActivities();
    await withWorker(fake.activities, async () => {
      const { handle, input, bizUserId } = await start('INDIVIDUAL');
      await expect(
        env.client.workflow.start(memberOnboarding, {
          workflowId: memberOnboardingWorkflowId('APP001', bizUserId, 1),
          taskQueue: TASK_QUEUE,
          args: [input],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        }),
      ).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
      await handle.signal(cancelSignal, { reason: 'test cleanup' });
      expect(await handle.result()).toBe('CANCELLED');
    });
  });

  /**
   * The sandbox vendor's outage as the flow sees it: submitRealName fails with the typed "no verdict"
   * failure until `vendorBackAt` (test-server time), then answers with `verdict`.
   */
  function vendorDownUntil(vendorBackAt: () => number, verdict: () => { ok: true } | { ok: false; element: 'phone'; reason: string }) {
    const fake = fakeActivities({
      submitRealName: async (args) => {
        fake.calls.push({ name: 'submitRealName', args });
        if ((await env.currentTimeMs()) < vendorBackAt())
          throw ApplicationFailure.create({ type: 'verification.unavailable', message: '认证服务暂时繁忙，请稍后重试', nonRetryable: false });
        const answer = verdict();
        if (answer.ok && args.report) await fake.console.activities.recordFlowState!(args.report);
        return answer;
      },
      holdRealNameForVendor: async (args) => {
        fake.calls.push({ name: 'holdRealNameForVendor', args });
        await fake.console.activities.recordFlowState!(args.report);
      },
      settleRealNameVerification: async (args) => {
        fake.calls.push({ name: 'settleRealNameVerification', args });
        await fake.console.activities.recordFlowState!(args.report);
      },
    });
    return fake;
  }

  const noteAt = (status: { history: { note: string; at: string }[] }, text: string) => Date.parse(status.history.find((h) => h.note.includes(text))!.at);

  it('a vendor without a verdict: 认证中 at once, the flow asks again by itself past the 7 days, and the link moves by the wait', async () => {
    let backAt = Number.MAX_SAFE_INTEGER;
    const fake = vendorDownUntil(
      () => backAt,
      () => ({ ok: true }),
    );
    await withWorker(fake.activities, async () => {
      const { handle, input } = await start('INDIVIDUAL');
      await env.sleep(6 * DAY + 20 * 3_600_000);
      backAt = (await env.currentTimeMs()) + 6 * 3_600_000; // the vendor is back 2 hours after the link's 7 days
      const pending = await handle.executeUpdate(submitRealNameUpdate, { args: [person] });
      expect(pending).toMatchObject({ stage: 'INFORMATION', nextStep: 'REAL_NAME' });
      expect(pending.verificationPendingSince).not.toBeNull();
      expect(fake.console.last()).toMatchObject({ stage: 'INFORMATION', stageLabel: '信息采集（认证中）', waitingFor: 'SYSTEM' });
      // The member asks again meanwhile: nothing to do, the flow is on it.
      expect(await failureType(handle.executeUpdate(submitRealNameUpdate, { args: [person] }))).toBe('onboarding.verification_pending');

      await env.sleep(7 * 3_600_000);
      const status = await handle.query(statusQuery);
      expect(status).toMatchObject({ stage: 'PHONE_BINDING', verificationPendingSince: null });
      const waited = noteAt(status, '实名认证通过') - noteAt(status, '认证中');
      expect(waited).toBeGreaterThanOrEqual(6 * 3_600_000);
      expect(Date.parse(status.expiresAt) - Date.parse(input.expiresAt)).toBe(waited);
      const settled = fake.calls.find((c) => c.name === 'settleRealNameVerification')!.args as { expiresAt: string; memberNote: string | null };
      expect(settled).toMatchObject({ expiresAt: status.expiresAt, memberNote: null });
      expect(fake.console.last()).toMatchObject({ stage: 'PHONE_BINDING', waitingFor: 'MEMBER', deadline: status.expiresAt });
      // Asked once on the page (no retries), then by the flow until the vendor answered.
      expect((fake.calls.find((c) => c.name === 'submitRealName')!.args as { retries?: number }).retries).toBe(0);
      expect(fake.count('holdRealNameForVendor')).toBe(1);
      expect(fake.count('closeOnboarding')).toBe(0);

      await handle.executeUpdate(requestPhoneCodeUpdate, { args: [{ source: 'ON_FILE' }] });
      await handle.executeUpdate(bindPhoneUpdate, { args: [{ code: '123456' }] });
      await handle.executeUpdate(signAgreementUpdate, { args: [{ code: '123456' }] });
      expect(await handle.result()).toBe('COMPLETED');
      await keepHistory(env.client, handle.workflowId, 'vendor-waited-completed');
    });
  });

  it('a mismatch found after the wait is kept for the member, who submits again; a wait given up lets the member submit again too', async () => {
    let backAt = Number.MAX_SAFE_INTEGER;
    let refuse = true;
    const fake = vendorDownUntil(
      () => backAt,
      () => (refuse ? { ok: false, element: 'phone', reason: '手机号与银行预留手机号不一致' } : { ok: true }),
    );
    await withWorker(fake.activities, async () => {
      const { handle, input } = await start('INDIVIDUAL');
      backAt = (await env.currentTimeMs()) + 3_600_000;
      await handle.executeUpdate(submitRealNameUpdate, { args: [person] });
      await env.sleep(2 * 3_600_000);
      const refused = await handle.query(statusQuery);
      expect(refused).toMatchObject({ stage: 'INFORMATION', nextStep: 'REAL_NAME' });
      expect(Date.parse(refused.expiresAt) - Date.parse(input.expiresAt)).toBe(noteAt(refused, '认证未通过') - noteAt(refused, '认证中'));
      const settled = fake.calls.find((c) => c.name === 'settleRealNameVerification')!.args as { memberNote: string | null };
      expect(settled.memberNote).toBe('银行卡四要素认证未通过：手机号与银行预留手机号不一致');
      expect(fake.console.last()).toMatchObject({ stage: 'INFORMATION', stageLabel: '信息采集', waitingFor: 'MEMBER' });

      refuse = false;
      expect((await handle.executeUpdate(submitRealNameUpdate, { args: [person] })).stage).toBe('PHONE_BINDING');
      expect(await handle.result()).toBe('EXPIRED');
      await keepHistory(env.client, handle.workflowId, 'vendor-waited-refused-resubmitted-expired');
    });

    // A vendor out for longer than the wait limit: the flow stops asking, the member submits again.
    const longOutage = vendorDownUntil(
      () => Number.MAX_SAFE_INTEGER,
      () => ({ ok: true }),
    );
    await withWorker(longOutage.activities, async () => {
      const { handle, input } = await start('INDIVIDUAL');
      await handle.executeUpdate(submitRealNameUpdate, { args: [person] });
      await env.sleep(7 * DAY + 3_600_000);
      const status = await handle.query(statusQuery);
      expect(status).toMatchObject({ stage: 'INFORMATION', nextStep: 'REAL_NAME', verificationPendingSince: null });
      const waited = noteAt(status, '长时间无应答') - noteAt(status, '认证中');
      // The flow stops asking once another try would pass the wait limit.
      expect(waited).toBeGreaterThan(7 * DAY - 10 * 60_000);
      expect(Date.parse(status.expiresAt) - Date.parse(input.expiresAt)).toBe(waited);
      const settled = longOutage.calls.find((c) => c.name === 'settleRealNameVerification')!.args as { memberNote: string | null };
      expect(settled.memberNote).toBe('认证服务长时间无应答，请重新提交实名信息');
      await handle.signal(cancelSignal, { reason: 'test cleanup' });
      expect(await handle.result()).toBe('CANCELLED');
    });
  });

  it('a 平台代开户 made without the vendor’s verdict starts 认证中 and sends the confirmation SMS only once verified; a mismatch then cancels it', async () => {
    let backAt = Number.MAX_SAFE_INTEGER;
    let verdict: { ok: true } | { ok: false; element: 'phone'; reason: string } = { ok: true };
    const fake = vendorDownUntil(
      () => backAt,
      () => verdict,
    );
    fake.activities.verifyProxyRealName = async (args) => {
      fake.calls.push({ name: 'verifyProxyRealName', args });
      if ((await env.currentTimeMs()) < backAt)
        throw ApplicationFailure.create({ type: 'verification.unavailable', message: '认证服务暂时繁忙，请稍后重试', nonRetryable: false });
      return verdict;
    };
    const proxyPending = async () => {
      const now = await env.currentTimeMs();
      const input: MemberOnboardingInput = {
        sessionId: randomUUID(),
        memberId: randomUUID(),
        applicationId: randomUUID(),
        memberType: 'INDIVIDUAL',
        mode: 'PROXY',
        expiresAt: new Date(now + 7 * DAY).toISOString(),
        validityMs: 7 * DAY,
        pendingRealName: person,
      };
      const handle = await env.client.workflow.start(memberOnboarding, {
        workflowId: memberOnboardingWorkflowId('APP001', randomUUID().slice(0, 8), 1),
        taskQueue: TASK_QUEUE,
        args: [input],
      });
      return { handle };
    };
    await withWorker(fake.activities, async () => {
      backAt = (await env.currentTimeMs()) + 2 * 3_600_000;
      const { handle } = await proxyPending();
      let status = await handle.query(statusQuery);
      expect(status).toMatchObject({ stage: 'CONFIRMATION' });
      expect(status.verificationPendingSince).not.toBeNull();
      const issuedExpiry = status.expiresAt;
      const pendingSince = status.verificationPendingSince!;
      expect(fake.console.reports[0]).toMatchObject({ stageLabel: '待会员确认（认证中）', waitingFor: 'SYSTEM' });
      expect(await failureType(handle.executeUpdate(confirmUpdate, { args: [] }))).toBe('onboarding.verification_pending');
      await handle.signal(linkRotatedSignal, { version: 2 });
      expect(fake.count('sendProxyConfirmation')).toBe(0);

      await env.sleep(3 * 3_600_000);
      status = await handle.query(statusQuery);
      expect(status.verificationPendingSince).toBeNull();
      // The SMS carries the link as it is now (rotated meanwhile), and the expiry moved by the wait.
      expect(fake.calls.filter((c) => c.name === 'sendProxyConfirmation').map((c) => (c.args as { version: number }).version)).toEqual([2]);
      expect(Date.parse(status.expiresAt) - Date.parse(issuedExpiry)).toBe(noteAt(status, '实名认证通过') - Date.parse(pendingSince));
      expect(fake.console.last()).toMatchObject({ stage: 'CONFIRMATION', stageLabel: '待会员确认', waitingFor: 'MEMBER' });
      expect((await handle.executeUpdate(confirmUpdate, { args: [] })).stage).toBe('PHONE_BINDING');
      await handle.signal(cancelSignal, { reason: 'test cleanup' });
      expect(await handle.result()).toBe('CANCELLED');
      await keepHistory(env.client, handle.workflowId, 'proxy-vendor-waited-confirmed-cancelled');

      verdict = { ok: false, element: 'phone', reason: '手机号与银行预留手机号不一致' };
      backAt = (await env.currentTimeMs()) + 3_600_000;
      const refused = await proxyPending();
      expect(await refused.handle.result()).toBe('CANCELLED');
      const end = await refused.handle.query(statusQuery);
      expect(end.history.at(-1)?.note).toBe('已取消：银行卡四要素认证未通过：手机号与银行预留手机号不一致');
      expect(fake.calls.filter((c) => c.name === 'sendProxyConfirmation')).toHaveLength(1);
      await keepHistory(env.client, refused.handle.workflowId, 'proxy-vendor-refused-cancelled');
    });
  });

  it('rejects actions of another stage and a failed four-element check without moving on', async () => {
    const fake = fakeActivities({
      verifyFourElements: async () => ({ ok: false as const, element: 'phone' as const, reason: '手机号与银行预留手机号不一致' }),
    });
    await withWorker(fake.activities, async () => {
      const { handle } = await start('INDIVIDUAL');
      expect(await failureType(handle.executeUpdate(bindPhoneUpdate, { args: [{ code: '123456' }] }))).toBe('onboarding.wrong_stage');
      expect(await failureType(handle.executeUpdate(submitRealNameUpdate, { args: [person] }))).toBe('verification.failed');
      expect((await handle.query(statusQuery)).stage).toBe('INFORMATION');
      await handle.signal(cancelSignal, { reason: 'test cleanup' });
      await handle.result();
      await keepHistory(env.client, handle.workflowId, 'four-elements-refused-cancelled');
      // The same path with one local activity per member action (MEMBER_ACTION_ONE_ACTIVITY_PATCH).
      await keepHistory(env.client, handle.workflowId, 'one-activity-four-elements-refused-cancelled');
    });
    expect(fake.count('saveRealName')).toBe(0);
  });

  it('keeps a wrong SMS code from binding the phone and lets the member ask for another code', async () => {
    const fake = fakeActivities();
    await withWorker(fake.activities, async () => {
      const { handle } = await start('INDIVIDUAL');
      await handle.executeUpdate(submitRealNameUpdate, { args: [person] });
      await handle.executeUpdate(requestPhoneCodeUpdate, { args: [{ source: 'AUTHORISED', phone: '13900139000' }] });
      expect(await failureType(handle.executeUpdate(bindPhoneUpdate, { args: [{ code: '000000' }] }))).toBe('sms.code_wrong');
      expect((await handle.query(statusQuery)).stage).toBe('PHONE_BINDING');
      await handle.executeUpdate(bindPhoneUpdate, { args: [{ code: '123456' }] });
      await handle.executeUpdate(requestSigningCodeUpdate, { args: [] });
      await handle.executeUpdate(signAgreementUpdate, { args: [{ code: '123456' }] });
      expect(await handle.result()).toBe('COMPLETED');
      await keepHistory(env.client, handle.workflowId, 'wrong-code-resent-completed');
      // The same path with one local activity per member action (MEMBER_ACTION_ONE_ACTIVITY_PATCH).
      await keepHistory(env.client, handle.workflowId, 'one-activity-wrong-code-resent-completed');
    });
    const keys = fake.calls.filter((c) => c.name.startsWith('send')).map((c) => (c.args as { key: string }).key);
    expect(new Set(keys).size).toBe(keys.length); // every send has its own idempotency key
  });

  it('collects an enterprise in three steps, in order', async () => {
    const fake = fakeActivities();
    await withWorker(fake.activities, async () => {
      const { handle } = await start('ENTERPRISE');
      const legal = { name: '李四', idNumber: '11010519491231002X', phone: '13800138000' };
      expect(await failureType(handle.executeUpdate(submitLegalRepresentativeUpdate, { args: [legal] }))).toBe('onboarding.step_order');
      const company = { name: '深圳市示例科技有限公司', creditCode: '91350100M000100Y43', address: '深圳市南山区', businessScope: '软件开发' };
      let status = await handle.executeUpdate(submitCompanyUpdate, { args: [company] });
      expect(status).toMatchObject({ stage: 'INFORMATION', nextStep: 'LEGAL_REPRESENTATIVE' });
      status = await handle.executeUpdate(submitLegalRepresentativeUpdate, { args: [legal] });
      expect(status.nextStep).toBe('LICENCES');
      status = await handle.executeUpdate(submitLicencesUpdate, {
        args: [{ businessLicenceUploadId: 'u1', idFrontUploadId: 'u2', idBackUploadId: 'u3' }],
      });
      expect(status.stage).toBe('PHONE_BINDING');
      await handle.signal(cancelSignal, { reason: 'test cleanup' });
      expect(await handle.result()).toBe('CANCELLED');
      await keepHistory(env.client, handle.workflowId, 'enterprise-steps-cancelled');
      // 法人信息 asked once while the member waits (ENTERPRISE_WAITS_FOR_VENDOR_PATCH).
      await keepHistory(env.client, handle.workflowId, 'enterprise-asked-once-steps-cancelled');
    });
    expect(fake.calls.find((c) => c.name === 'closeOnboarding')?.args).toMatchObject({ stage: 'CANCELLED' });
  });

  it('an enterprise whose company does not match 企业四要素 enters 企业基本信息 again; a wrong representative stays on its step', async () => {
    let refusals: { element: 'legalIdNumber' | 'companyName'; reason: string }[] = [
      { element: 'legalIdNumber', reason: '法人身份证号与工商登记不一致' },
      { element: 'companyName', reason: '企业名称与工商登记不一致' },
    ];
    const fake = fakeActivities({
      submitLegalRepresentative: async (args) => {
        fake.calls.push({ name: 'submitLegalRepresentative', args });
        const refusal = refusals.shift();
        return refusal ? { ok: false as const, ...refusal } : { ok: true as const };
      },
    });
    await withWorker(fake.activities, async () => {
      const { handle } = await start('ENTERPRISE');
      const company = { name: '深圳市示例科技有限公司', creditCode: '91350100M000100Y43', address: '深圳市南山区', businessScope: '软件开发' };
      const legal = { name: '李四', idNumber: '11010519491231002X', phone: '13800138000' };
      await handle.executeUpdate(submitCompanyUpdate, { args: [company] });
      const wrongPerson = await handle.executeUpdate(submitLegalRepresentativeUpdate, { args: [legal] }).catch((err: unknown) => err);
      expect(wrongPerson).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = (wrongPerson as WorkflowUpdateFailedError).cause as ApplicationFailure;
      expect([cause.type, cause.message, cause.details?.[0]]).toEqual([
        'verification.enterprise_failed',
        '企业信息核验未通过：法人身份证号与工商登记不一致',
        { element: 'legalIdNumber', step: 'LEGAL_REPRESENTATIVE' },
      ]);
      expect(await handle.query(statusQuery)).toMatchObject({ nextStep: 'LEGAL_REPRESENTATIVE', stepsDone: ['COMPANY'] });
      expect(await failureType(handle.executeUpdate(submitLegalRepresentativeUpdate, { args: [legal] }))).toBe('verification.enterprise_failed');
      let status = await handle.query(statusQuery);
      expect(status).toMatchObject({ nextStep: 'COMPANY', stepsDone: [] });
      expect(status.history.at(-1)?.note).toBe('企业信息核验未通过，请重新填写企业基本信息');
      await handle.executeUpdate(submitCompanyUpdate, { args: [{ ...company, name: '深圳市示例科技股份有限公司' }] });
      status = await handle.executeUpdate(submitLegalRepresentativeUpdate, { args: [legal] });
      expect(status).toMatchObject({ nextStep: 'LICENCES', stepsDone: ['COMPANY', 'LEGAL_REPRESENTATIVE'] });
      // Asked once while the member waited, each time.
      expect(fake.calls.filter((c) => c.name === 'submitLegalRepresentative').map((c) => (c.args as { retries?: number }).retries)).toEqual([0, 0, 0]);
      await handle.signal(cancelSignal, { reason: 'test cleanup' });
      expect(await handle.result()).toBe('CANCELLED');
      await keepHistory(env.client, handle.workflowId, 'enterprise-asked-once-company-reopened-cancelled');
    });
    expect(fake.count('saveCompany')).toBe(2);
    expect(fake.count('saveLegalRepresentative')).toBe(0);
  });

  it('an enterprise’s 法人信息 without the vendor’s verdict waits 认证中; a wrong company found later reopens 企业基本信息 with the reason', async () => {
    let backAt = Number.MAX_SAFE_INTEGER;
    let verdict: { ok: true } | { ok: false; element: 'companyName'; reason: string } = {
      ok: false,
      element: 'companyName',
      reason: '企业名称与工商登记不一致',
    };
    const fake = vendorDownUntil(
      () => backAt,
      () => ({ ok: true }),
    );
    fake.activities.submitLegalRepresentative = async (args) => {
      fake.calls.push({ name: 'submitLegalRepresentative', args });
      if ((await env.currentTimeMs()) < backAt)
        throw ApplicationFailure.create({ type: 'verification.unavailable', message: '认证服务暂时繁忙，请稍后重试', nonRetryable: false });
      return verdict;
    };
    await withWorker(fake.activities, async () => {
      const { handle, input } = await start('ENTERPRISE');
      const company = { name: '深圳市示例科技有限公司', creditCode: '91350100M000100Y43', address: '深圳市南山区', businessScope: '软件开发' };
      const legal = { name: '李四', idNumber: '11010519491231002X', phone: '13800138000' };
      await handle.executeUpdate(submitCompanyUpdate, { args: [company] });
      backAt = (await env.currentTimeMs()) + 3 * 3_600_000;
      const pending = await handle.executeUpdate(submitLegalRepresentativeUpdate, { args: [legal] });
      expect(pending).toMatchObject({ stage: 'INFORMATION', nextStep: 'LEGAL_REPRESENTATIVE' });
      expect(pending.verificationPendingSince).not.toBeNull();
      expect(fake.console.last()).toMatchObject({ stageLabel: '信息采集（认证中）', waitingFor: 'SYSTEM' });
      expect(await failureType(handle.executeUpdate(submitCompanyUpdate, { args: [company] }))).toBe('onboarding.verification_pending');

      await env.sleep(4 * 3_600_000);
      let status = await handle.query(statusQuery);
      expect(status).toMatchObject({ stage: 'INFORMATION', nextStep: 'COMPANY', stepsDone: [], verificationPendingSince: null });
      expect(status.history.at(-1)?.note).toBe('企业信息核验未通过，请重新填写企业基本信息');
      const settled = fake.calls.find((c) => c.name === 'settleRealNameVerification')!.args as { memberNote: string | null; expiresAt: string };
      expect(settled.memberNote).toBe('企业信息核验未通过：企业名称与工商登记不一致');
      expect(Date.parse(settled.expiresAt) - Date.parse(input.expiresAt)).toBe(noteAt(status, '企业名称与工商登记不一致') - noteAt(status, '认证中'));
      expect(fake.console.last()).toMatchObject({ stageLabel: '信息采集', waitingFor: 'MEMBER' });

      // Corrected, the vendor answering at once: on to 证照上传, then phone binding.
      verdict = { ok: true };
      await handle.executeUpdate(submitCompanyUpdate, { args: [{ ...company, name: '深圳市示例科技股份有限公司' }] });
      status = await handle.executeUpdate(submitLegalRepresentativeUpdate, { args: [legal] });
      expect(status).toMatchObject({ nextStep: 'LICENCES', verificationPendingSince: null });
      status = await handle.executeUpdate(submitLicencesUpdate, { args: [{ businessLicenceUploadId: 'u1', idFrontUploadId: 'u2', idBackUploadId: 'u3' }] });
      expect(status.stage).toBe('PHONE_BINDING');
      await handle.signal(cancelSignal, { reason: 'test cleanup' });
      expect(await handle.result()).toBe('CANCELLED');
      await keepHistory(env.client, handle.workflowId, 'enterprise-vendor-waited-company-reopened-cancelled');
    });
  });

  it('an enterprise’s 平台代开户 made without the vendor’s verdict sends the confirmation SMS once its flow verified the company', async () => {
    let backAt = Number.MAX_SAFE_INTEGER;
    const fake = vendorDownUntil(
      () => backAt,
      () => ({ ok: true }),
    );
    fake.activities.verifyProxyEnterprise = async (args) => {
      fake.calls.push({ name: 'verifyProxyEnterprise', args });
      if ((await env.currentTimeMs()) < backAt)
        throw ApplicationFailure.create({ type: 'verification.unavailable', message: '认证服务暂时繁忙，请稍后重试', nonRetryable: false });
      return { ok: true };
    };
    await withWorker(fake.activities, async () => {
      const now = await env.currentTimeMs();
      backAt = now + 2 * 3_600_000;
      const pendingEnterprise = {
        companyName: '深圳市示例科技有限公司',
        creditCode: '91350100M000100Y43',
        legalRepresentative: '李四',
        legalIdNumber: '11010519491231002X',
      };
      const input: MemberOnboardingInput = {
        sessionId: randomUUID(),
        memberId: randomUUID(),
        applicationId: randomUUID(),
        memberType: 'ENTERPRISE',
        mode: 'PROXY',
        expiresAt: new Date(now + 7 * DAY).toISOString(),
        validityMs: 7 * DAY,
        pendingEnterprise,
      };
      const handle = await env.client.workflow.start(memberOnboarding, {
        workflowId: memberOnboardingWorkflowId('APP001', randomUUID().slice(0, 8), 1),
        taskQueue: TASK_QUEUE,
        args: [input],
      });
      expect((await handle.query(statusQuery)).verificationPendingSince).not.toBeNull();
      expect(await failureType(handle.executeUpdate(confirmUpdate, { args: [] }))).toBe('onboarding.verification_pending');
      expect(fake.count('sendProxyConfirmation')).toBe(0);
      await env.sleep(3 * 3_600_000);
      const status = await handle.query(statusQuery);
      expect(status.verificationPendingSince).toBeNull();
      expect(status.history.map((h) => h.note)).toEqual(expect.arrayContaining([expect.stringContaining('企业信息核验通过')]));
      expect(fake.count('sendProxyConfirmation')).toBe(1);
      expect((fake.calls.find((c) => c.name === 'verifyProxyEnterprise')!.args as { data: unknown }).data).toEqual(pendingEnterprise);
      expect((await handle.executeUpdate(confirmUpdate, { args: [] })).stage).toBe('PHONE_BINDING');
      await handle.signal(cancelSignal, { reason: 'test cleanup' });
      expect(await handle.result()).toBe('CANCELLED');
      await keepHistory(env.client, handle.workflowId, 'proxy-enterprise-vendor-waited-confirmed-cancelled');
    });
  });

  describe('operated from the console', () => {
    const operator = { operatorId: 'op-1', reason: '会员申请延期' };

    it('reports every stage to the console read model, and sends one reminder a day before the deadline', async () => {
      const fake = fakeActivities();
      await withWorker(fake.activities, async () => {
        const { handle, input } = await start('INDIVIDUAL', 1, undefined, 'PROXY');
        expect(await handle.result()).toBe('EXPIRED');
        const first = fake.console.reports[0]!;
        expect(first).toMatchObject({ flow: 'member-onboarding', stage: 'CONFIRMATION', waitingFor: 'MEMBER', closed: false, deadline: input.expiresAt });
        expect(first.memberId).toBe(input.memberId);
        const reminders = fake.calls.filter((c) => c.name === 'sendOnboardingReminder');
        expect(reminders).toHaveLength(1);
        expect(fake.console.last()).toMatchObject({ stage: 'EXPIRED', waitingFor: 'NOBODY', closed: true });
        // versions only grow, so the read model keeps the newest write
        const versions = fake.console.reports.map((r) => r.version);
        expect([...versions].sort((a, b) => a - b)).toEqual(versions);
        await keepHistory(env.client, handle.workflowId, 'reminder-sent-expired');
        // The same path under the reminder rule (a 1-day link: reminded after 12 hours, not at once).
        await keepHistory(env.client, handle.workflowId, 'reminded-at-half-validity-expired');
      });
    });

    it('extends the deadline within 30 days of issue, refuses more, and still reminds only once', async () => {
      const fake = fakeActivities();
      await withWorker(fake.activities, async () => {
        const { handle, input } = await start('INDIVIDUAL');
        const extended = await handle.executeUpdate(extendDeadlineUpdate, { args: [{ ...operator, days: 7 }] });
        expect(Date.parse(extended.deadline) - Date.parse(input.expiresAt)).toBe(7 * DAY);
        expect((await handle.query(statusQuery)).expiresAt).toBe(extended.deadline);
        expect(await failureType(handle.executeUpdate(extendDeadlineUpdate, { args: [{ ...operator, days: 17 }] }))).toBe('flow.extension_too_long');
        expect(await failureType(handle.executeUpdate(extendDeadlineUpdate, { args: [{ ...operator, days: 0 }] }))).toBe('request.invalid');
        await env.sleep(13 * DAY + 1000); // past the first reminder time and the original deadline
        expect((await handle.query(statusQuery)).stage).toBe('INFORMATION');
        expect(await handle.result()).toBe('EXPIRED');
        const started = (await handle.describe()).startTime.getTime();
        const closedAt = (await handle.describe()).closeTime!.getTime();
        expect(closedAt - started).toBeGreaterThanOrEqual(14 * DAY - 1000);
        expect(fake.count('sendOnboardingReminder')).toBe(1);
        expect(fake.count('extendOnboardingLink')).toBe(1);
        await expect(handle.executeUpdate(extendDeadlineUpdate, { args: [{ ...operator, days: 1 }] })).rejects.toThrow();
        await keepHistory(env.client, handle.workflowId, 'extended-expired');
      });
    });

    it('resends the pending SMS with a new key, and has nothing to resend during information collection', async () => {
      const fake = fakeActivities();
      await withWorker(fake.activities, async () => {
        const proxy = await start('ENTERPRISE', 1, undefined, 'PROXY');
        // An operator resends an SMS that went out (the first send is not awaited by the flow).
        await eventually(
          async () => fake.count('sendProxyConfirmation'),
          (n) => n === 1,
          'the first confirmation SMS',
        );
        const resent = await proxy.handle.executeUpdate(resendSmsUpdate, { args: [operator] });
        expect(resent).toEqual({ stage: 'CONFIRMATION', sentTo: '138****8000' });
        const confirmations = fake.calls.filter((c) => c.name === 'sendProxyConfirmation').map((c) => c.args as { resend?: number });
        expect(confirmations.map((c) => c.resend)).toEqual([undefined, 1]);
        await proxy.handle.executeUpdate(cancelFlowUpdate, { args: [{ operatorId: 'op-1', reason: '会员放弃开户' }] });
        expect(await proxy.handle.result()).toBe('CANCELLED');
        await expect(proxy.handle.executeUpdate(cancelFlowUpdate, { args: [operator] })).rejects.toThrow();
        await keepHistory(env.client, proxy.handle.workflowId, 'sms-resent-cancelled-by-operator');

        const self = await start('INDIVIDUAL');
        expect(await failureType(self.handle.executeUpdate(resendSmsUpdate, { args: [operator] }))).toBe('flow.nothing_to_resend');
        await self.handle.executeUpdate(cancelFlowUpdate, { args: [operator] });
        expect(await self.handle.result()).toBe('CANCELLED');
        await keepHistory(env.client, self.handle.workflowId, 'cancelled-by-operator');
      });
    });

    it('a closing step that fails for good waits for the operator, shows the error, and runs again on 重试', async () => {
      let failures = 1;
      const fake = fakeActivities({
        closeOnboarding: async () => {
          if (failures-- > 0) throw ApplicationFailure.create({ type: 'fault.database', message: '数据库不可用', nonRetryable: true });
        },
      });
      await withWorker(fake.activities, async () => {
        const { handle } = await start('INDIVIDUAL');
        expect(await failureType(handle.executeUpdate(retryStepUpdate, { args: [operator] }))).toBe('flow.no_failed_step');
        await handle.executeUpdate(cancelFlowUpdate, { args: [operator] });
        let stuck;
        for (let i = 0; i < 100 && !stuck; i++) {
          stuck = fake.console.reports.find((r) => r.stuckStep !== null);
          if (!stuck) await new Promise((r) => setTimeout(r, 50));
        }
        expect(stuck).toMatchObject({ waitingFor: 'OPERATOR', stuckStep: { step: 'closeOnboarding', error: '数据库不可用' } });
        await handle.executeUpdate(retryStepUpdate, { args: [operator] });
        expect(await handle.result()).toBe('CANCELLED');
        expect(fake.console.last()).toMatchObject({ stage: 'CANCELLED', stuckStep: null, closed: true });
        await keepHistory(env.client, handle.workflowId, 'closing-step-failed-retried');
      });
    });
  });
});
