import * as workflows from './index';

describe('the workflow module', () => {
  it('exports each workflow under the type name its function carries (what clients and executeChild() start)', () => {
    for (const [type, fn] of Object.entries(workflows)) expect([type, fn.name]).toEqual([type, type]);
    expect(Object.keys(workflows)).toHaveLength(10);
  });
});
