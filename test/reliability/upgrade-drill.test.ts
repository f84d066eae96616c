/**
 * The upgrade drill, on the cluster topology: onboardings are in flight on worker build A (the
 * workflows as they are), stopped at the signing page. Build B — a change to the signing step made
 * behind patched() — is rolled out and carries every one of them to the end, taking its new path.
 * Build C — the same step changed without patched() — is caught by the replay test on the
 * histories those flows recorded, before it could reach a worker; build B replays them cleanly.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker } from '@temporalio/worker';
import { dataConverter } from '../../lib/adapters/payload-codec';
import { statusQuery } from '../../workflows/member-onboarding/messages';
import { perFile } from '../support/per-file';
import { inParallel, platformOf, startOnboarding } from './flows';
import { SCALE, figure } from './scale';
import { startReliabilityStack } from './stack';
import { workflowBuild } from './upgrade/builds';
import { DRILL_NOTE } from './upgrade/agreement-signing.build-b';

const TIMEOUT = 480_000;
const FLOWS = SCALE.full ? 40 : 8;

describe('upgrade drill: a patched() change carries flows in flight on; an unpatched one is caught by replay', () => {
  const stack = perFile(
    () => startReliabilityStack('upgrade', 'cluster'),
    (s) => s.stop(),
    { start: 180_000, stop: 60_000 },
  );
  const platform = perFile(
    () => platformOf(stack),
    async () => undefined,
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'upgrade-drill-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('builds B and C are the current signing step plus their one marked change', () => {
    const code = (file: string) =>
      fs
        .readFileSync(file, 'utf8')
        .replace(/^\/\*\*[\s\S]*?\*\/\n/, '') // the file's own header comment
        .replace(/'(\.\.\/)+workflows\/(member-onboarding\/)?/g, (_m, _up, flowDir) => (flowDir ? "'./" : "'../"))
        .split('\n')
        .filter((line) => !line.includes("the drill's change") && !line.includes('DRILL_NOTE ='))
        .join('\n')
        .replace(/\n{3,}/g, '\n\n');
    const current = code(path.join(__dirname, '../../workflows/member-onboarding/agreement-signing.ts'));
    expect(code(path.join(__dirname, 'upgrade/agreement-signing.build-b.ts'))).toBe(current);
    expect(code(path.join(__dirname, 'upgrade/agreement-signing.build-c.ts')).replace(', sleep }', ' }')).toBe(current);
  });

  it(
    'build B takes over the flows build A started; the replay test refuses build C',
    async () => {
      const [b, c] = await Promise.all([workflowBuild('b'), workflowBuild('c')]);
      fs.writeFileSync(path.join(dir, 'build-b.js'), b);

      // Build A: members get as far as the signing page (their codes sent), and stop there.
      const inFlight = await inParallel(
        Array.from({ length: FLOWS }, () => () => startOnboarding(stack, platform, TIMEOUT, 'AGREEMENT_SIGNING')),
        8,
      );

      // Roll out build B, then the members sign.
      await stack.replaceWorker({ WORKFLOW_BUNDLE: path.join(dir, 'build-b.js') });
      await inParallel(
        inFlight.map((f) => () => f.resume(TIMEOUT)),
        8,
      );

      const handles = inFlight.map((f) => stack.temporal.workflow.getHandle(f.workflowId));
      for (const h of handles) {
        const status = await h.query(statusQuery);
        expect(status.stage).toBe('COMPLETED');
        // Build B ran the signing step of a flow build A had started, on its new path.
        expect(status.history.map((e) => e.note)).toContain(DRILL_NOTE);
      }
      const members = await stack.services.prisma.member.findMany({ where: { id: { in: inFlight.map((f) => f.memberId) } }, select: { status: true } });
      expect(members.map((m) => m.status)).toEqual(inFlight.map(() => 'NORMAL'));

      // The replay test over what the flows recorded: build B passes, build C is refused.
      const histories = await Promise.all(handles.map(async (h) => ({ workflowId: h.workflowId, history: await h.fetchHistory() })));
      const replay = async (code: string) => {
        const failures: unknown[] = [];
        for await (const result of Worker.runReplayHistories(
          { workflowBundle: { code }, dataConverter: dataConverter(stack.config.DATA_ENCRYPTION_KEY) },
          histories,
        )) {
          if (result.error) failures.push(result.error);
        }
        return failures;
      };
      expect(await replay(b)).toEqual([]);
      const refused = await replay(c);
      expect(refused).toHaveLength(FLOWS);
      for (const err of refused) expect((err as Error).name).toBe(DeterminismViolationError.name);

      figure('upgrade drill (cluster)', { flows: FLOWS, carriedOnByB: FLOWS, replayedCleanByB: FLOWS, refusedC: refused.length });
    },
    TIMEOUT,
  );
});
