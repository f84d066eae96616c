/**
 * Measures the bare engine on a given Temporal server, with its own worker process, N closed-loop
 * clients: no-op Updates/s, Updates with one local activity/s, and workflow starts/s. The
 * onboarding benchmark prints its figures beside these, from the same run and server.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bareEngine, bareStart, localActivityUpdate, noopUpdate } from './workflows';

export interface BareEngineFigures {
  noopUpdatesPerSecond: number;
  localActivityUpdatesPerSecond: number;
  startsPerSecond: number;
  localActivityUpdateP99Ms: number;
}

const ROOT = path.resolve(__dirname, '..', '..');

export async function measureBareEngine(address: string, opts: { concurrency: number; seconds: number }): Promise<BareEngineFigures> {
  const taskQueue = `bare-engine-${process.pid}`;
  const worker = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'worker.ts'), address, taskQueue], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    worker.stdout!.on('data', (c: Buffer) => c.toString().includes('ready') && resolve());
    worker.once('exit', (code) => reject(new Error(`bare engine worker exited (${code})`)));
  });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  try {
    const handles = await Promise.all(
      Array.from({ length: opts.concurrency }, (_, i) => client.workflow.start(bareEngine, { taskQueue, workflowId: `bare-engine-${process.pid}-${i}` })),
    );
    const loop = async (call: (i: number) => Promise<unknown>): Promise<{ perSecond: number; p99: number }> => {
      const latencies: number[] = [];
      const warmUntil = Date.now() + 2000;
      while (Date.now() < warmUntil) await Promise.all(handles.map((_, i) => call(i)));
      const started = performance.now();
      const end = Date.now() + opts.seconds * 1000;
      await Promise.all(
        handles.map(async (_, i) => {
          while (Date.now() < end) {
            const t = performance.now();
            await call(i);
            latencies.push(performance.now() - t);
          }
        }),
      );
      latencies.sort((a, b) => a - b);
      return { perSecond: latencies.length / ((performance.now() - started) / 1000), p99: latencies[Math.floor(latencies.length * 0.99)] ?? NaN };
    };
    const noop = await loop((i) => handles[i]!.executeUpdate(noopUpdate, { args: [1] }));
    const withActivity = await loop((i) => handles[i]!.executeUpdate(localActivityUpdate, { args: [1] }));
    let seq = 0;
    const starts = await loop(() => client.workflow.start(bareStart, { taskQueue, workflowId: `bare-start-${process.pid}-${++seq}` }));
    await Promise.all(handles.map((h) => h.terminate('benchmark done').catch(() => undefined)));
    return {
      noopUpdatesPerSecond: noop.perSecond,
      localActivityUpdatesPerSecond: withActivity.perSecond,
      localActivityUpdateP99Ms: withActivity.p99,
      startsPerSecond: starts.perSecond,
    };
  } finally {
    await connection.close();
    worker.kill('SIGTERM');
    await new Promise((r) => worker.once('exit', r));
  }
}
