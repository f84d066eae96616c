import { fixedClock, systemClock } from './clock';

describe('the app clock', () => {
  it('without TEST_NOW reads the system time, and system instants are its own', () => {
    const clock = systemClock({});
    expect(Math.abs(clock.now().getTime() - Date.now())).toBeLessThan(50);
    expect(clock.fromSystemTime('2026-12-01T00:00:00Z').toISOString()).toBe('2026-12-01T00:00:00.000Z');
  });

  it('under TEST_NOW starts at that instant at the anchor and runs on; every process given the same anchor agrees', () => {
    const anchor = Date.now() - 1000;
    const env: NodeJS.ProcessEnv = { TEST_NOW: '2027-01-01T00:00:05+08:00', TEST_CLOCK_ANCHOR: String(anchor) };
    const a = systemClock(env);
    const b = systemClock({ ...env });
    const expected = Date.parse('2027-01-01T00:00:05+08:00') + (Date.now() - anchor);
    expect(Math.abs(a.now().getTime() - expected)).toBeLessThan(50);
    expect(Math.abs(a.now().getTime() - b.now().getTime())).toBeLessThan(50);
    // A deadline a workflow computed in system time, as the shifted app reads it.
    const inAWeek = new Date(Date.now() + 7 * 86_400_000);
    expect(Math.abs(a.fromSystemTime(inAWeek).getTime() - (a.now().getTime() + 7 * 86_400_000))).toBeLessThan(50);
  });

  it('sets the anchor for the processes it starts when none is given, and refuses a malformed instant', () => {
    const env: NodeJS.ProcessEnv = { TEST_NOW: '2026-12-31T23:59:50+08:00' };
    systemClock(env);
    expect(Number(env.TEST_CLOCK_ANCHOR)).toBeGreaterThan(0);
    expect(() => systemClock({ TEST_NOW: 'tomorrow' })).toThrow('TEST_NOW is not an ISO instant');
  });

  it('a fixed clock stands still until moved', () => {
    const clock = fixedClock('2026-02-28T16:00:00Z');
    expect(clock.now().toISOString()).toBe('2026-02-28T16:00:00.000Z');
    clock.set('2026-03-01T00:00:00Z');
    expect(clock.now().toISOString()).toBe('2026-03-01T00:00:00.000Z');
  });
});
