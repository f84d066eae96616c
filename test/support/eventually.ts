/** Polls `get` until `ok` holds (the flows under test are asynchronous); fails after `timeoutMs`. */
export async function eventually<T>(get: () => Promise<T>, ok: (v: T) => unknown, what = 'the expected state', timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
