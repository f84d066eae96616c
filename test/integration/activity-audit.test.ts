/** An activity retried after its transaction committed writes its audit row once (activities/audit.ts). */
import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createImportWindowActivities } from '../../activities/db/import-window';
import { fileHarness } from '../support/harness';

describe('audit rows written by activities', () => {
  const h = fileHarness();

  it('a retried attempt of the same activity writes no second row; another activity of the run writes its own', async () => {
    const acts = createImportWindowActivities({ prisma: h.services.prisma, clock: h.services.clock });
    const windowId = randomUUID();
    const workflowExecution = { workflowId: `import-window:${windowId}`, runId: randomUUID() };
    const request = { windowId, operatorId: randomUUID(), action: 'import-window.close', reason: '提前结束' };
    const rows = () => h.services.prisma.auditLog.count({ where: { target: `import-window:${windowId}` } });

    await new MockActivityEnvironment({ workflowExecution, activityId: '7', attempt: 1 }).run(acts.auditImportWindow, request);
    await new MockActivityEnvironment({ workflowExecution, activityId: '7', attempt: 2 }).run(acts.auditImportWindow, request);
    expect(await rows()).toBe(1);
    await new MockActivityEnvironment({ workflowExecution, activityId: '9', attempt: 1 }).run(acts.auditImportWindow, { ...request, reason: '再次关闭' });
    expect(await rows()).toBe(2);
  });
});
