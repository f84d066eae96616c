/**
 * R2: the Temporal server and PostgreSQL are restarted while flows of every
 * kind are in flight (the worker, the API and the members' drivers stay up and
 * must ride it out). Same invariants as R1.
 */
import { SCALE, figure } from './scale';
import { expectFlowsFinished, importMembers, inParallel, onboardIndividual, platformOf, sendSigningLinks } from './flows';
import { perFile } from '../support/per-file';
import { startReliabilityStack } from './stack';

const TIMEOUT = SCALE.full ? 900_000 : 480_000;

describe('R2: Temporal and Postgres restart mid-flow', () => {
  const stack = perFile(
    () => startReliabilityStack('r2'),
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
      const running = inParallel(work, 16);
      const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
      const faults = (async () => {
        await sleep(2500);
        const t = Date.now();
        await stack.restartTemporal();
        const temporalDownMs = Date.now() - t;
        await sleep(3000);
        const p = Date.now();
        await stack.restartPostgres();
        return { temporalDownMs, postgresDownMs: Date.now() - p };
      })();
      const [, downtime] = await Promise.all([running, faults]);

      const found = await expectFlowsFinished(stack, platform.tenant.application.id, { onboardings: SCALE.restartOnboardings, batches, imports });
      figure('R2 server restarts', { flows: work.length, seconds: Math.round((Date.now() - started) / 1000), ...downtime, ...found });
    },
    TIMEOUT,
  );
});
