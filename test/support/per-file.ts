/**
 * Something a whole test file shares (the app harness, the time-skipping server, a reliability
 * stack): started before its first test and stopped after its last. The object returned stands for
 * it, so a file writes `const h = perFile(start, stop)` once and uses `h` in its tests and hooks.
 */
export function perFile<T extends object>(
  start: () => Promise<T>,
  stop: (running: T) => Promise<unknown>,
  timeouts: { start?: number; stop?: number } = {},
): T {
  let running: T | undefined;
  beforeAll(async () => {
    running = await start();
  }, timeouts.start);
  afterAll(async () => {
    if (running) await stop(running);
  }, timeouts.stop);
  return new Proxy({} as T, {
    get(_target, key) {
      if (!running) throw new Error('started in beforeAll: use it inside a test or hook');
      const value = Reflect.get(running, key) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(running) : value;
    },
  });
}
