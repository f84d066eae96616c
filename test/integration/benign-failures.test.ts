/**
 * A business answer of an activity (a wrong code, a cooldown) leaves it as a benign, non-retryable
 * ApplicationFailure with its error id: the worker does not log it as a fault. A real fault stays a fault.
 */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { fileHarness } from '../support/harness';

describe('business answers of activities', () => {
  const h = fileHarness();

  it('a refused SMS code is a benign failure with its id; the consumer step is not recorded as failing', async () => {
    const acts = createActivities(h.services);
    const env = new MockActivityEnvironment({ workflowExecution: { workflowId: `member-onboarding:${randomUUID()}`, runId: randomUUID() }, activityId: '3' });
    const failure = await env.run(acts.bindPhone, { workflowId: 'w', sessionId: randomUUID(), memberId: randomUUID(), code: '123456' }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'sms.code_missing', nonRetryable: true, category: 'BENIGN' });
  });
});
