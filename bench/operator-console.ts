/**
 * Operator console benchmark, against the system started as in production:
 *  1. 10,000 onboarding workflows open at once, each asleep on its 7-day timer
 *     (members added through the API) → the worker's resident memory.
 *  2. 100,000 members with their flows in the read model → p50/p95 of the
 *     operator's list and search (GET /api/operator/workflows) per kind of query.
 *
 *   npm run bench
 *   BENCH_OPEN_FLOWS=2000 BENCH_CONSOLE_MEMBERS=20000 npx tsx bench/operator-console.ts
 */
import pg from 'pg';
import { apiClient, peakRssMb, startBenchSystem, writeResult } from './system';

const OPEN_FLOWS = Number(process.env.BENCH_OPEN_FLOWS ?? 10_000);
const MEMBERS = Number(process.env.BENCH_CONSOLE_MEMBERS ?? 100_000);
const REQUESTS_PER_QUERY = Number(process.env.BENCH_CONSOLE_REQUESTS ?? 100);

function rssMb(pid: number): number {
  const status = require('node:fs').readFileSync(`/proc/${pid}/status`, 'utf8') as string;
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024);
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main() {
  const system = await startBenchSystem('operator-console');
  const db = new pg.Client({ connectionString: system.db.url });
  await db.connect();
  try {
    const platform = await apiClient(system.base, '1001001', 'Demo@2026');
    const operator = await apiClient(system.base, 'operator', 'Operator@2026');
    const idleWorkerMb = rssMb(system.pids.worker);

    // 1. Open flows: each member added starts an onboarding that then sleeps until its deadline.
    console.log(`[bench] adding ${OPEN_FLOWS} members (each starts an onboarding workflow)`);
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < OPEN_FLOWS) {
          const i = next++;
          await platform('POST', '/api/members', { type: 'INDIVIDUAL', bizUserId: `OPEN${i}`, name: `开户会员${i}` });
        }
      }),
    );
    const addSeconds = (performance.now() - started) / 1000;
    // Every workflow has run its first task once its stage is in the read model.
    for (;;) {
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM "FlowInstance" WHERE "businessKey" LIKE '1001001/OPEN%'`);
      if (rows[0].n >= OPEN_FLOWS) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await new Promise((r) => setTimeout(r, 3000));
    const openWorkerMb = rssMb(system.pids.worker);
    const peakWorkerMb = peakRssMb(system.pids.worker);

    // 2. The read model at 100,000 members: the flows written straight to the database.
    console.log(`[bench] writing ${MEMBERS} members and their flows to the read model`);
    const { rows: apps } = await db.query(`SELECT id, "appNo" FROM "Application" WHERE "appNo" = '1001001'`);
    const app = apps[0];
    await db.query(
      `INSERT INTO "Member" (id, "applicationId", "bizUserId", type, status, "displayName", "boundPhoneMasked", "updatedAt")
       SELECT gen_random_uuid(), $1, 'BULK' || g, 'INDIVIDUAL', 'PENDING', '会员' || g, '13' || lpad((g % 10)::text, 1, '0') || '****' || lpad((g % 10000)::text, 4, '0'), now()
       FROM generate_series(1, $2::int) g`,
      [app.id, MEMBERS],
    );
    const stages = ['INFORMATION', 'PHONE_BINDING', 'AGREEMENT_SIGNING', 'COMPLETED', 'EXPIRED'];
    const labels = ['信息采集', '手机绑定', '协议签约', '开户完成', '链接已过期'];
    await db.query(
      `INSERT INTO "FlowInstance" ("workflowId", flow, "businessKey", "applicationId", "memberId", stage, "stageLabel", "waitingFor", deadline, closed,
         "searchText", "failingStep", "lastError", "startedAt", "stageSince", "updatedAt", version)
       SELECT 'member-onboarding:1001001:' || m."bizUserId" || ':1', 'member-onboarding', '1001001/' || m."bizUserId", m."applicationId", m.id,
         ($1::text[])[1 + (n % 5)], ($2::text[])[1 + (n % 5)], CASE WHEN n % 5 >= 3 THEN 'NOBODY' ELSE 'MEMBER' END,
         now() + ((n % 7) || ' days')::interval, n % 5 >= 3,
         lower('1001001 示例商城 ' || m."bizUserId" || ' ' || m."displayName" || ' ' || m."boundPhoneMasked"),
         CASE WHEN n % 997 = 0 THEN 'sendSigningCode' END, CASE WHEN n % 997 = 0 THEN '短信服务不可用' END,
         now() - ((n % 30) || ' days')::interval, now() - ((n % 30) || ' days')::interval, now() - ((n % 86400) || ' seconds')::interval, 1
       FROM (SELECT m.*, row_number() OVER () AS n FROM "Member" m WHERE m."bizUserId" LIKE 'BULK%') m`,
      [stages, labels],
    );
    await db.query('ANALYZE "FlowInstance"');
    const { rows: counted } = await db.query(`SELECT count(*)::int AS n FROM "FlowInstance"`);

    const queries: [string, string][] = [
      ['first page, open flows', '?closed=false'],
      ['flow + waiting for member', '?flow=member-onboarding&waitingFor=MEMBER'],
      ['by application', '?application=1001001&page=50'],
      ['stuck > 7 days', '?stuckDays=7'],
      ['failing', '?failing=true'],
      ['search member name', '?q=会员4242'],
      ['search member number', '?q=BULK77777'],
      ['search phone last 4', '?q=5678'],
      ['search full phone', '?q=13800005678'],
    ];
    const all: number[] = [];
    const lines: string[] = [];
    for (const [name, query] of queries) {
      const times: number[] = [];
      for (let i = 0; i < REQUESTS_PER_QUERY; i++) {
        const t = performance.now();
        await operator('GET', `/api/operator/workflows${query}`);
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      all.push(...times);
      lines.push(`  ${name.padEnd(28)} p50 ${pct(times, 50).toFixed(1)} ms, p95 ${pct(times, 95).toFixed(1)} ms`);
    }
    all.sort((a, b) => a - b);

    writeResult('operator-console.txt', [
      `operator console (API, worker and Temporal dev server on this machine)`,
      `  open onboarding workflows: ${OPEN_FLOWS} added through the API in ${addSeconds.toFixed(1)} s, all asleep on their timers`,
      `  worker RSS: idle ${idleWorkerMb} MB → ${openWorkerMb} MB with ${OPEN_FLOWS} open flows (peak ${peakWorkerMb} MB; target < 1024 MB)`,
      `  operator list/search over ${counted[0].n} flows (${MEMBERS} + ${OPEN_FLOWS} members), ${REQUESTS_PER_QUERY} requests per query:`,
      ...lines,
      `  all queries: p50 ${pct(all, 50).toFixed(1)} ms, p95 ${pct(all, 95).toFixed(1)} ms (target p95 < 100 ms)`,
    ]);
  } finally {
    await db.end();
    await system.stop();
  }
}

main().catch((err) => {
  console.error('[bench] failed:', err);
  process.exit(1);
});
