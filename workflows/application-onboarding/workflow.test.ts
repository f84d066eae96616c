import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { Activities } from '../../activities';
import { consoleActivities } from '../../test/support/console-activities';
import { keepHistory } from '../../test/support/histories';
import { runWorker, workflowTestEnvForFile, updateFailureType } from '../../test/support/workflow-env';
import { cancelFlowUpdate, extendDeadlineUpdate, resendSmsUpdate } from '../operator-messages';
import { type ReviewDecision, reviewDecisionUpdate } from '../review-messages';
import { applicationOnboardingStatusQuery, resubmitMaterialsUpdate, submitGoLiveUpdate } from './messages';
import { applicationOnboarding } from './workflow';

const DAY = 24 * 3600 * 1000;

describe('application onboarding and go-live workflow (time-skipping test server)', () => {
  const env = workflowTestEnvForFile();

  function fakes() {
    const calls: { name: string; args: any }[] = [];
    const console = consoleActivities();
    const activities: Partial<Activities> = {
      ...console.activities,
      async recordReviewDecision(d: ReviewDecision) {
        calls.push({ name: 'recordReviewDecision', args: d });
        if (d.reviewerId === 'branch-1')
          throw ApplicationFailure.create({ type: 'review.own_submission', message: '不能审核自己提交的事项', nonRetryable: true });
      },
      async openApplicationReview(req) {
        calls.push({ name: 'openApplicationReview', args: req });
        return `${req.kind}-${req.round}`;
      },
      async setApplicationOnboardingStatus(req) {
        calls.push({ name: 'setApplicationOnboardingStatus', args: req });
      },
      async extendResubmission(req) {
        calls.push({ name: 'extendResubmission', args: req });
      },
      async activateApplication(req) {
        calls.push({ name: 'activateApplication', args: req });
        return { applicationId: 'app-1', appNo: '1002001' };
      },
      async sendActivationSms(req) {
        calls.push({ name: 'sendActivationSms', args: req });
      },
      async activateTestEnvironment(req) {
        calls.push({ name: 'activateTestEnvironment', args: req });
        return { applicationId: 'app-test', appNo: '1002001' };
      },
      async promoteToProduction(req) {
        calls.push({ name: 'promoteToProduction', args: req });
        return { applicationId: 'app-production', appNo: '1002002' };
      },
      async sendEnvironmentSms(req) {
        calls.push({ name: 'sendEnvironmentSms', args: req });
      },
      async resendInitialPassword(req) {
        calls.push({ name: 'resendInitialPassword', args: req });
        return { sentTo: '139****0001' };
      },
      async markApplicationLive(req) {
        calls.push({ name: 'markApplicationLive', args: req });
      },
    };
    const names = (n: string) => calls.filter((c) => c.name === n);
    return { activities, calls, console, names, statuses: () => names('setApplicationOnboardingStatus').map((c) => c.args.status) };
  }

  const withWorker = <T>(activities: Partial<Activities>, fn: (taskQueue: string) => Promise<T>) => runWorker(env, activities, fn);

  const decide = (reviewItemId: string, approve: boolean, reviewerId = 'reviewer-2'): ReviewDecision => ({
    reviewItemId,
    approve,
    reason: approve ? '材料齐全，同意' : '缺少平台截图',
    reviewerId,
    reviewerName: '审核员',
  });

  const failureType = updateFailureType;

  const start = (taskQueue: string, id = randomUUID()) =>
    env.client.workflow.start(applicationOnboarding, {
      taskQueue,
      workflowId: `application-onboarding:${id}`,
      args: [{ onboardingId: id, customerName: '示例客户', submittedById: 'branch-1' }],
    });

  async function waitForStage(h: Awaited<ReturnType<typeof start>>, stage: string) {
    for (let i = 0; i < 500; i++) {
      const view = await h.query(applicationOnboardingStatusQuery);
      // A review stage is ready once its item is in the queue.
      if (view.stage === stage && (!stage.endsWith('REVIEW') || view.reviewItemId)) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`never reached ${stage}`);
  }

  it('review → return → resubmission → the test environment with its SMS → go-live returned once → promoted to production with its own SMS', async () => {
    const f = fakes();
    await withWorker(f.activities, async (taskQueue) => {
      const h = await start(taskQueue);
      await waitForStage(h, 'IN_REVIEW');
      // The branch user who submitted may not decide it; nor may the branch submit go-live material now.
      expect(await failureType(h.executeUpdate(reviewDecisionUpdate, { args: [decide('APPLICATION_ONBOARDING-1', true, 'branch-1')] }))).toBe(
        'review.own_submission',
      );
      expect(await failureType(h.executeUpdate(submitGoLiveUpdate, { args: [{ userId: 'branch-1' }] }))).toBe('app_onboarding.wrong_stage');
      expect(await failureType(h.executeUpdate(resendSmsUpdate, { args: [{ operatorId: 'op', reason: '客户未收到' }] }))).toBe('flow.nothing_to_resend');

      await h.executeUpdate(reviewDecisionUpdate, { args: [decide('APPLICATION_ONBOARDING-1', false)] });
      await waitForStage(h, 'RETURNED');
      const returned = await h.query(applicationOnboardingStatusQuery);
      await env.sleep(10 * DAY); // the branch collects the screenshots
      await h.executeUpdate(resubmitMaterialsUpdate, { args: [{ userId: 'branch-3' }] });
      await waitForStage(h, 'IN_REVIEW');
      // The second round is its own review item, applied for by whoever resubmitted.
      expect(f.names('openApplicationReview').map((c) => [c.args.round, c.args.submittedById])).toEqual([
        [1, 'branch-1'],
        [2, 'branch-3'],
      ]);
      expect(await failureType(h.executeUpdate(reviewDecisionUpdate, { args: [decide('APPLICATION_ONBOARDING-1', true)] }))).toBe('review.not_pending');
      await h.executeUpdate(reviewDecisionUpdate, { args: [decide('APPLICATION_ONBOARDING-2', true)] });

      await waitForStage(h, 'TESTING');
      const testing = await h.query(applicationOnboardingStatusQuery);
      // 测试联调 happens in the test environment; production does not exist yet.
      expect(testing).toMatchObject({ testApplicationId: 'app-test', testAppNo: '1002001', applicationId: null, appNo: null, onboardingRounds: 2 });
      expect(f.names('activateTestEnvironment')).toHaveLength(1);
      expect(f.names('sendEnvironmentSms').map((c) => c.args.environment)).toEqual(['TEST']);
      expect(f.names('activateApplication')).toHaveLength(0);
      expect((await h.executeUpdate(resendSmsUpdate, { args: [{ operatorId: 'op', reason: '客户未收到' }] })).sentTo).toBe('139****0001');
      // 重发短信 while testing is the test login's.
      expect(f.names('resendInitialPassword')[0]!.args).toMatchObject({ resend: 1, environment: 'TEST' });
      expect(f.names('promoteToProduction')).toHaveLength(0);

      await env.sleep(40 * DAY); // 测试联调 has no deadline
      await h.executeUpdate(submitGoLiveUpdate, { args: [{ userId: 'branch-1' }] });
      await waitForStage(h, 'GO_LIVE_REVIEW');
      await h.executeUpdate(reviewDecisionUpdate, { args: [decide('APPLICATION_GO_LIVE-1', false)] });
      await waitForStage(h, 'TESTING');
      await h.executeUpdate(submitGoLiveUpdate, { args: [{ userId: 'branch-1' }] });
      await waitForStage(h, 'GO_LIVE_REVIEW');
      await h.executeUpdate(reviewDecisionUpdate, { args: [decide('APPLICATION_GO_LIVE-2', true)] });
      expect(await h.result()).toBe('LIVE');

      expect(returned.resubmitBy).not.toBeNull();
      expect(f.statuses()).toEqual(['IN_REVIEW', 'RETURNED', 'IN_REVIEW', 'ACTIVATING', 'TESTING', 'GO_LIVE_REVIEW', 'TESTING', 'GO_LIVE_REVIEW', 'LIVE']);
      // The go-live return reason goes with the stage it sends the branch back to.
      expect(f.names('setApplicationOnboardingStatus')[6]!.args).toMatchObject({ status: 'TESTING', reason: '缺少平台截图' });
      // Promotion makes the production environment once, after the approval, with its own SMS.
      expect(f.names('promoteToProduction')).toHaveLength(1);
      expect(f.names('sendEnvironmentSms').map((c) => c.args.environment)).toEqual(['TEST', 'PRODUCTION']);
      expect(f.names('markApplicationLive')).toHaveLength(0);
      expect(f.names('sendActivationSms')).toHaveLength(0);
      expect(await h.query(applicationOnboardingStatusQuery)).toMatchObject({
        applicationId: 'app-production',
        appNo: '1002002',
        testApplicationId: 'app-test',
        testAppNo: '1002001',
      });
      expect(f.console.last()).toMatchObject({ flow: 'application-onboarding', stage: 'LIVE', closed: true, waitingFor: 'NOBODY' });
      await keepHistory(env.client, h.workflowId, 'environments-returned-resubmitted-live');
    });
  });

  it('a returned request lapses after 30 days; an operator extension moves it, never past 60 days', async () => {
    const f = fakes();
    await withWorker(f.activities, async (taskQueue) => {
      const h = await start(taskQueue);
      await waitForStage(h, 'IN_REVIEW');
      await h.executeUpdate(reviewDecisionUpdate, { args: [decide('APPLICATION_ONBOARDING-1', false)] });
      await waitForStage(h, 'RETURNED');
      const first = Date.parse((await h.query(applicationOnboardingStatusQuery)).resubmitBy!);
      expect(f.console.last()).toMatchObject({ stage: 'RETURNED', waitingFor: 'PLATFORM', deadline: new Date(first).toISOString() });
      await env.sleep(25 * DAY);
      expect((await h.query(applicationOnboardingStatusQuery)).stage).toBe('RETURNED');
      const extended = await h.executeUpdate(extendDeadlineUpdate, { args: [{ operatorId: 'op', reason: '客户补盖章', days: 20 }] });
      expect(Date.parse(extended.deadline) - first).toBe(20 * DAY);
      expect(await failureType(h.executeUpdate(extendDeadlineUpdate, { args: [{ operatorId: 'op', reason: '再延', days: 11 }] }))).toBe(
        'flow.extension_too_long',
      );
      await env.sleep(10 * DAY); // day 35: past the first deadline, within the extension
      expect((await h.query(applicationOnboardingStatusQuery)).stage).toBe('RETURNED');
      expect(await h.result()).toBe('EXPIRED');
      expect(f.names('setApplicationOnboardingStatus').at(-1)!.args).toMatchObject({ status: 'EXPIRED', reason: '退回后50天内未提交补充材料' });
      expect(f.names('activateApplication')).toHaveLength(0);
      expect(f.names('extendResubmission')[0]!.args).toMatchObject({ operatorId: 'op', days: 20, resubmitBy: extended.deadline });
      // The branch's page learns the first deadline with the return itself.
      expect(f.names('setApplicationOnboardingStatus').find((c) => c.args.status === 'RETURNED')!.args.resubmitBy).toBe(new Date(first).toISOString());
      await keepHistory(env.client, h.workflowId, 'returned-extended-lapsed');
    });
  });

  it('cancelling before the decision withdraws the review; after activation production is never made', async () => {
    const f = fakes();
    await withWorker(f.activities, async (taskQueue) => {
      const h = await start(taskQueue);
      await waitForStage(h, 'IN_REVIEW');
      expect(await failureType(h.executeUpdate(extendDeadlineUpdate, { args: [{ operatorId: 'op', reason: '延期', days: 5 }] }))).toBe(
        'flow.action_unsupported',
      );
      await h.executeUpdate(cancelFlowUpdate, { args: [{ operatorId: 'op', reason: '客户放弃合作' }] });
      expect(await h.result()).toBe('CANCELLED');
      expect(f.console.withdrawn).toEqual([{ reviewItemId: 'APPLICATION_ONBOARDING-1', reason: '客户放弃合作' }]);
      await keepHistory(env.client, h.workflowId, 'cancelled-before-decision');
      expect(f.names('activateApplication')).toHaveLength(0);

      const g = await start(taskQueue);
      await waitForStage(g, 'IN_REVIEW');
      await g.executeUpdate(reviewDecisionUpdate, { args: [decide('APPLICATION_ONBOARDING-1', true)] });
      await waitForStage(g, 'TESTING');
      await g.executeUpdate(cancelFlowUpdate, { args: [{ operatorId: 'op', reason: '客户暂停上线' }] });
      expect(await g.result()).toBe('CANCELLED');
      expect(f.names('markApplicationLive')).toHaveLength(0);
      expect(f.names('activateTestEnvironment')).toHaveLength(1);
      expect(f.names('promoteToProduction')).toHaveLength(0);
      expect(f.names('setApplicationOnboardingStatus').at(-1)!.args).toMatchObject({ status: 'CANCELLED', reason: '客户暂停上线' });
      await keepHistory(env.client, g.workflowId, 'environments-cancelled-after-activation');
    });
  });
});
