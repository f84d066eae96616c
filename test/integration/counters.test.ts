/** The shared counters behind rate limits and login lock-outs (lib/adapters/counters.ts). */
import { randomUUID } from 'node:crypto';
import { countHit, currentCount, pruneEndedCounts } from '../../lib/adapters/counters';
import { fileHarness, testNow } from '../support/harness';

describe('shared counters', () => {
  const h = fileHarness();
  const MINUTE = 60_000;

  it('counts parallel hits without losing one, starts a new window after the old one ended, and prunes ended windows', async () => {
    const prefix = `test:${randomUUID()}`;
    const key = `${prefix}:a`;
    const t0 = testNow();
    const counts = await Promise.all(Array.from({ length: 20 }, () => countHit(h.services.prisma, key, 15 * MINUTE, t0)));
    expect(counts.map((c) => c.hits).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const later = new Date(t0.getTime() + 16 * MINUTE);
    expect(await currentCount(h.services.prisma, key, later)).toBeNull();
    expect((await countHit(h.services.prisma, key, 15 * MINUTE, later)).hits).toBe(1);
    await pruneEndedCounts(h.services.prisma, new Date(later.getTime() + 16 * MINUTE), { keyPrefix: prefix });
    expect(await h.services.prisma.rateLimitCounter.findUnique({ where: { key } })).toBeNull();
  });
});
