/**
 * Import benchmark: a generated file of N individual members (default
 * 100,000, each with a bank card to verify and bind) from upload to a
 * downloaded result file — upload and checks, submission, the reviewer's
 * approval, chunked execution, the 回盘文件 — against the same rows loaded by
 * PostgreSQL COPY in the same run. Prints wall time, rows/s, the ratio to
 * COPY, peak RSS of API and worker, and the longest workflow history.
 *
 *   BENCH_ROWS=20000 npx tsx bench/member-import.ts
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { TEMPLATE_COLUMNS } from '../domain/member-file';
import { cardNumber, idNumber } from '../test/support/fixtures';
import { apiClient, peakRssMb, startBenchSystem, writeResult } from './system';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);

async function until<T>(get: () => Promise<T>, ok: (v: T) => unknown): Promise<T> {
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function main() {
  const system = await startBenchSystem('import');
  try {
    const platform = await apiClient(system.base, '1001001', 'Demo@2026');
    const reviewer = await apiClient(system.base, 'reviewer', 'Reviewer@2026');
    const pendingReview = (title: string): Promise<{ id: string }> =>
      until<{ id: string } | undefined>(
        () => reviewer('GET', '/api/reviews?pageSize=100').then((r) => r.items.find((i: { title: string }) => i.title.includes(title))),
        Boolean,
      ).then((i) => i!);

    await platform('POST', '/api/imports/window/requests', { reason: '压测导入' });
    await reviewer('POST', `/api/reviews/${(await pendingReview('批导入口')).id}/decision`, { approve: true, reason: '' });
    await until(() => platform('GET', '/api/imports/window').then((w) => w.open), Boolean);

    const id = idNumber();
    const card = cardNumber('621700');
    const lines = [TEMPLATE_COLUMNS.INDIVIDUAL.join(',')];
    for (let i = 0; i < ROWS; i++) lines.push(`B${i},压测会员,身份证,${id},137${String(i).padStart(8, '0')},${card}`);
    const csv = Buffer.from(lines.join('\n'));
    console.log(`[bench] importing ${ROWS} rows (${(csv.length / 1024 / 1024).toFixed(1)} MB CSV)`);

    const t0 = performance.now();
    const form = new FormData();
    form.append('kind', 'INDIVIDUAL');
    form.append('file', new Blob([csv]), 'bench.csv');
    const report = await platform('POST', '/api/imports', form);
    const tUpload = performance.now();
    const apiPeakAfterUpload = peakRssMb(system.pids.api);
    await platform('POST', `/api/imports/${report.id}/submission`, { consentAttested: true });
    await reviewer('POST', `/api/reviews/${(await pendingReview('会员批导：')).id}/decision`, { approve: true, reason: '' });
    const done = await until(
      () => platform('GET', `/api/imports/${report.id}`),
      (t) => t.status === 'COMPLETED',
    );
    const tExecuted = performance.now();
    const result: Buffer = await platform('GET', `/api/imports/${report.id}/result`);
    const t1 = performance.now();
    const wall = (t1 - t0) / 1000;

    // The same rows by COPY into a table of the same columns, in the same database.
    const db = new pg.Client({ connectionString: system.db.url });
    await db.connect();
    await db.query('CREATE TABLE bench_copy (biz_user_id text, name text, id_type text, id_number text, phone text, card text)');
    const c0 = performance.now();
    await pipeline(Readable.from([lines.slice(1).join('\n')]), db.query(copyFrom('COPY bench_copy FROM STDIN WITH (FORMAT csv)')));
    const copySeconds = (performance.now() - c0) / 1000;
    const copied = Number((await db.query('SELECT count(*) FROM bench_copy')).rows[0].count);
    await db.end();

    const temporal = new TemporalClient({ connection: await Connection.connect({ address: system.temporalAddress }) });
    let runs = 0;
    let longest = 0;
    for await (const run of temporal.workflow.list({ query: `WorkflowId = 'batch-import:${report.id}'` })) {
      runs++;
      longest = Math.max(longest, (await temporal.workflow.getHandle(run.workflowId, run.runId).describe()).historyLength);
    }
    await temporal.connection.close();

    writeResult('member-import.txt', [
      `member import: ${ROWS} individual members with bank cards, upload → result file (API, worker, Temporal dev server and PostgreSQL on this machine)`,
      `  wall time:            ${wall.toFixed(1)} s  (upload + checks ${((tUpload - t0) / 1000).toFixed(1)} s, review + execution ${((tExecuted - tUpload) / 1000).toFixed(1)} s, result file ${((t1 - tExecuted) / 1000).toFixed(1)} s)`,
      `  rows/s:               ${(ROWS / wall).toFixed(0)}  (${done.succeeded} succeeded, ${done.failed} failed; result file ${result.length} bytes)`,
      `  PostgreSQL COPY:      ${copySeconds.toFixed(2)} s for ${copied} rows  → ratio ${(wall / copySeconds).toFixed(1)}× COPY`,
      `  peak RSS:             API ${peakRssMb(system.pids.api)} MB (${apiPeakAfterUpload} MB after the upload), worker ${peakRssMb(system.pids.worker)} MB`,
      `  workflow runs / longest history: ${runs} / ${longest} events`,
    ]);
  } finally {
    await system.stop();
  }
}

main().catch((err) => {
  console.error('[bench] failed:', err);
  process.exit(1);
});
