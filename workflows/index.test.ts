import * as workflows from './index';
import { failuresOf } from './failures';

describe('the workflow module', () => {
  it('exports each workflow under the type name its function carries (what clients and executeChild() start)', () => {
    for (const [type, fn] of Object.entries(workflows)) expect([type, fn.name]).toEqual([type, type]);
    expect(Object.keys(workflows)).toHaveLength(15);
  });
});

describe('business failures of a flow', () => {
  it("raise the flow's own ids and the shared ones; another flow's id does not compile", () => {
    const fail = failuresOf('statement');
    expect(() => fail('statement.wrong_stage')).toThrow(expect.objectContaining({ type: 'statement.wrong_stage', nonRetryable: true }));
    expect(() => fail('flow.finished', '该流程已结束')).toThrow(expect.objectContaining({ type: 'flow.finished', message: '该流程已结束' }));
    // @ts-expect-error monthly statements may not answer with a migration's error
    expect(() => fail('migration.wrong_state')).toThrow();
  });
});
