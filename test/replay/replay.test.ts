/**
 * The versioning rule, enforced: every history in the corpus (recorded from older code) replays
 * against the workflow code as it is now, with the worker's own interceptors and payload codec.
 * An incompatible change fails here with the workflow type and path that it would break.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DeterminismViolationError } from '@temporalio/workflow';
import { DefaultLogger, type ReplayWorkerOptions, Runtime, Worker, makeTelemetryFilterString } from '@temporalio/worker';
import { dataConverter } from '../../lib/adapters/payload-codec';
import { HISTORIES_DIR, historyFile, historyFromFile } from '../support/histories';
import { WORKFLOWS_PATH, WORKFLOW_INTERCEPTOR_MODULES, workflowSinks } from '../../worker/workflow-code';
import { REPLAY_MANIFEST } from './manifest';
import * as workflows from '../../workflows';

/**
 * The corpus was recorded by the time-skipping server without the codec, so its payloads are
 * in clear (test data only) and the codec passes them through; this committed key is the one
 * the replay worker is configured with, as a production worker would be.
 */
const REPLAY_CODEC_KEY = Buffer.alloc(32, 7).toString('base64');

const pairs = Object.entries(REPLAY_MANIFEST).flatMap(([type, paths]) => paths.map((p) => ({ type, path: p, file: historyFile(type, p) })));

async function replay(options: ReplayWorkerOptions, which: typeof pairs) {
  const histories = which.map((p) => ({ workflowId: `${p.type}/${p.path}`, history: historyFromFile(p.file) }));
  const failures: string[] = [];
  let replayed = 0;
  for await (const result of Worker.runReplayHistories(options, histories)) {
    replayed++;
    if (result.error) failures.push(`${result.workflowId}: ${result.error.name}: ${result.error.message}`);
  }
  return { replayed, failures };
}

describe('replay corpus', () => {
  beforeAll(() => {
    Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } } });
  });

  it('holds a history for every workflow type × path of the manifest, and nothing else', () => {
    // Every workflow the worker runs has its paths in the corpus.
    expect(Object.keys(REPLAY_MANIFEST).sort()).toEqual(Object.keys(workflows).sort());
    expect(pairs.filter((p) => !fs.existsSync(p.file)).map((p) => `${p.type}/${p.path}`)).toEqual([]);
    const stored = fs
      .readdirSync(HISTORIES_DIR)
      .flatMap((type) => fs.readdirSync(path.join(HISTORIES_DIR, type)).map((f) => path.join(HISTORIES_DIR, type, f)));
    expect(stored.filter((f) => !pairs.some((p) => p.file === f))).toEqual([]);
    for (const p of pairs) expect(historyFromFile(p.file).events.length).toBeGreaterThan(3);
  });

  it('every history replays against the current workflow code', async () => {
    const { replayed, failures } = await replay(
      {
        workflowsPath: WORKFLOWS_PATH,
        interceptors: { workflowModules: WORKFLOW_INTERCEPTOR_MODULES },
        dataConverter: dataConverter(REPLAY_CODEC_KEY),
        sinks: workflowSinks,
        replayName: 'corpus',
      },
      pairs,
    );
    expect(failures).toEqual([]);
    expect(replayed).toBe(pairs.length);
  });

  it('catches an incompatible change: an activity call swapped without a patch', async () => {
    const workflowsPath = require.resolve('./fixtures/incompatible-workflows');
    const { replayed, failures } = await replay(
      { workflowsPath, replayName: 'incompatible' },
      pairs.filter((p) => p.type === 'dataOverviewRefresh'),
    );
    expect(replayed).toBe(1);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain(DeterminismViolationError.name);
    expect(failures[0]).toMatch(/deliverMemberEvents|refreshTradeStats|nondetermin/i);
  });
});
