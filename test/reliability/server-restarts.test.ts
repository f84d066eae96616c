/**
 * R2: the Temporal server and PostgreSQL are restarted while flows of every
 * kind are in flight (the worker, the API and the members' drivers stay up and
 * must ride it out). Same invariants as R1.
 */
import { SCALE, figure } from './scale';
import { Progress, expectFlowsFinished, importMembers, inParallel, onboardIndividual, platformOf, sendSigningLinks } from './flows';
import { perFile } from '../support/per-file';
import { TOPOLOGIES, startReliabilityStack } from './stack';

const TIMEOUT = SCALE.full ? 900_000 : 480_000;

describe.each(TOPOLOGIES)('R2: Temporal and Postgres restart mid-flow (Temporal %s)', (topology) => {
  const stack = perFile(
    () => startReliabilityStack('r2', topology),
    (s) => s.stop(),
    { start: 180_000, stop: 60_000 },
  );
  const platform = perFile(
    () => platformOf(stack),
    async () => undefined,
  );

  it(
    'every flow completes after both restarts, with nothing duplicated or lost',
    async () => {
      const batches = Math.max(2, Math.round(SCALE.signingBatches / 2));
      const imports = Math.max(2, Math.round(SCALE.imports / 2));
      const work: (() => Promise<unknown>)[] = [
        ...Array.from({ length: SCALE.restartOnboardings }, () => () => onboardIndividual(stack, platform, TIMEOUT)),
        ...Array.from({ length: batches }, () => () => sendSigningLinks(stack, platform, SCALE.membersPerBatch, TIMEOUT)),
        ...Array.from({ length: imports }, () => () => importMembers(stack, platform, SCALE.rowsPerImport, TIMEOUT)),
      ];
      const started = Date.now();
      const progress = new Progress();
      const running = inParallel(work, 16, progress);
      const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
      // Each fault waits until part of the work is done and still meets flows in flight.
      const until = async (doneShare: number) => {
        while (progress.done < work.length * doneShare && progress.inFlight() > 0) await sleep(100);
        return progress.inFlight();
      };
      const faults = (async () => {
        await sleep(1500);
        const inFlightAtTemporal = await until(0.1);
        const t = Date.now();
        await stack.restartTemporal();
        const temporalDownMs = Date.now() - t;
        await sleep(1000);
        const inFlightAtPostgres = await until(0.3);
        const p = Date.now();
        await stack.restartPostgres();
        return { temporalDownMs, postgresDownMs: Date.now() - p, inFlightAtTemporal, inFlightAtPostgres };
      })();
      const [, downtime] = await Promise.all([running, faults]);
      expect(downtime.inFlightAtTemporal).toBeGreaterThan(0);
      expect(downtime.inFlightAtPostgres).toBeGreaterThan(0);

      const found = await expectFlowsFinished(stack, platform.tenant.application.id, { onboardings: SCALE.restartOnboardings, batches, imports });
      figure(`R2 server restarts (${topology})`, { flows: work.length, seconds: Math.round((Date.now() - started) / 1000), ...downtime, ...found });
    },
    TIMEOUT,
  );
});
