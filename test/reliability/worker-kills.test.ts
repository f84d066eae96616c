/**
 * R1: flows of mixed kinds (onboarding, batch signing links, batch import) in
 * flight while the worker is killed with SIGKILL at random moments and
 * restarted. Every flow must complete with nothing sent, created or lost twice.
 */
import { SCALE, figure } from './scale';
import { Progress, expectFlowsFinished, importMembers, inParallel, onboardIndividual, platformOf, sendSigningLinks } from './flows';
import { perFile } from '../support/per-file';
import { TOPOLOGIES, startReliabilityStack } from './stack';

const TIMEOUT = SCALE.full ? 1_200_000 : 480_000;

describe.each(TOPOLOGIES)('R1: the worker is killed at random points (Temporal %s)', (topology) => {
  const stack = perFile(
    () => startReliabilityStack('r1', topology),
    (s) => s.stop(),
    { start: 180_000, stop: 60_000 },
  );
  const platform = perFile(
    () => platformOf(stack),
    async () => undefined,
  );

  it(
    'every flow completes, 0 duplicate SMS, members or cards, every import row accounted for',
    async () => {
      let seed = 42;
      const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const work: (() => Promise<unknown>)[] = [
        ...Array.from({ length: SCALE.onboardings }, () => () => onboardIndividual(stack, platform, TIMEOUT)),
        ...Array.from({ length: SCALE.signingBatches }, () => () => sendSigningLinks(stack, platform, SCALE.membersPerBatch, TIMEOUT)),
        ...Array.from({ length: SCALE.imports }, () => () => importMembers(stack, platform, SCALE.rowsPerImport, TIMEOUT)),
      ].sort(() => random() - 0.5);
      const started = Date.now();
      let finished = false;
      const progress = new Progress();
      const running = inParallel(work, 24, progress).finally(() => (finished = true));
      let kills = 0;
      const inFlightAtKills: number[] = [];
      const chaos = (async () => {
        for (let k = 0; k < SCALE.kills && !finished; k++) {
          await new Promise((r) => setTimeout(r, 1500 + random() * 4000));
          if (finished) break;
          inFlightAtKills.push(progress.inFlight());
          await stack.killWorker();
          kills++;
        }
      })();
      await Promise.all([running, chaos]);

      const found = await expectFlowsFinished(stack, platform.tenant.application.id, {
        onboardings: SCALE.onboardings,
        batches: SCALE.signingBatches,
        imports: SCALE.imports,
      });
      expect(kills).toBeGreaterThanOrEqual(Math.min(2, SCALE.kills));
      // Each kill met flows in flight (a kill after the work was done would prove nothing).
      expect(inFlightAtKills.every((n) => n > 0)).toBe(true);
      figure(`R1 worker kills (${topology})`, {
        flows: work.length,
        kills,
        inFlightAtKills: inFlightAtKills.join('/'),
        seconds: Math.round((Date.now() - started) / 1000),
        ...found,
      });
    },
    TIMEOUT,
  );
});
