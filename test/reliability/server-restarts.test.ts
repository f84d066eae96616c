/**
 * R2: the Temporal server and PostgreSQL are restarted while flows of every
 * kind are in flight (the worker, the API and the members' drivers stay up and
 * must ride it out). Same invariants as R1.
 */
import { SCALE, figure } from './scale';
import { type Platform, importMembers, inParallel, invariants, onboardIndividual, platformOf, sendSigningLinks } from './flows';
import { type ReliabilityStack, startReliabilityStack } from './stack';

const TIMEOUT = SCALE.full ? 900_000 : 480_000;

describe('R2: Temporal and Postgres restart mid-flow', () => {
  let stack: ReliabilityStack;
  let platform: Platform;
  beforeAll(async () => {
    stack = await startReliabilityStack('r2');
    platform = await platformOf(stack);
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('every flow completes after both restarts, with nothing duplicated or lost', async () => {
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

    const { prisma } = stack.services;
    const appId = platform.tenant.application.id;
    expect(await prisma.onboardingSession.count({ where: { applicationId: appId, stage: 'COMPLETED' } })).toBe(SCALE.restartOnboardings);
    const sent = await prisma.signingBatch.findMany({ where: { applicationId: appId } });
    expect(sent.map((b) => [b.status, b.sent])).toEqual(sent.map(() => ['COMPLETED', SCALE.membersPerBatch]));
    const tasks = await prisma.importTask.findMany({ where: { applicationId: appId } });
    expect(tasks.map((t) => [t.status, t.succeeded])).toEqual(tasks.map(() => ['COMPLETED', SCALE.rowsPerImport]));
    const expectedMembers = SCALE.restartOnboardings + batches * SCALE.membersPerBatch + imports * SCALE.rowsPerImport;
    expect(await prisma.member.count({ where: { applicationId: appId } })).toBe(expectedMembers);
    const found = await invariants(stack, appId);
    expect(found).toMatchObject({ duplicateSms: 0, duplicateMembers: 0, duplicateCards: 0, rowsWithoutResult: 0 });
    figure('R2 server restarts', { flows: work.length, seconds: Math.round((Date.now() - started) / 1000), ...downtime, members: expectedMembers, ...found });
  }, TIMEOUT);
});
