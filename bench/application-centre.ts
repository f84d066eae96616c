/**
 * Application centre benchmark:
 * 1. the 数据概览 refresh (what the 5-minute schedule runs) over 1,000,000
 *    orders spread over the 90-day window, and the overview / 90-day trend
 *    answers of the API afterwards (p50/p95);
 * 2. the SM2-signed open API: signed requests per second through the API
 *    (sign, verify, nonce, platform signature of the answer), one client after
 *    another, and bare SM2 verifications per second for comparison.
 *
 *   BENCH_CENTRE_ORDERS=200000 npx tsx bench/application-centre.ts
 */
import { systemClock } from '../lib/adapters/clock';
import pg from 'pg';
import { sm2 } from 'sm-crypto';
import { createTradeStatActivities } from '../activities/db/data-overview';
import { businessDay } from '../domain/ledger';
import { createPrisma } from '../lib/adapters/db';
import { sm2Verify } from '../lib/business/openapi-signing';
import { signRequest } from '../scripts/examples/openapi-client';
import { apiClient, benchApplicationAndMember, startBenchSystem, writeResult } from './system';

const ORDERS = Number(process.env.BENCH_CENTRE_ORDERS ?? 1_000_000);
const SIGNED_REQUESTS = Number(process.env.BENCH_SIGNED_REQUESTS ?? 1_000);

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function timed(n: number, run: () => Promise<unknown>): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await run();
    ms.push(performance.now() - t0);
  }
  return ms;
}

async function main() {
  const system = await startBenchSystem('application-centre');
  try {
    const db = new pg.Client({ connectionString: system.db.url });
    db.on('error', () => undefined); // the database stops with the system; the cause is reported below
    await db.connect();
    const { app, member } = await benchApplicationAndMember(db, 'BENCH-DC');
    console.log(`[bench] generating ${ORDERS} orders over 90 days`);
    await db.query(
      `INSERT INTO "Order" (id, "applicationId", "orderNo", "bizOrderNo", type, status, "receiverMemberId", "amountFen", "createdAt")
       SELECT gen_random_uuid(), $1, 'DC' || i, 'BIZDC' || i, (ARRAY['CONSUMPTION','TOP_UP','WITHDRAWAL','GUARANTEED_PAYMENT','REFUND'])[1 + i % 5], 'SUCCESS', $2, 100 + i % 100000,
              now() - ((i::float / ${ORDERS}) * interval '89 days')
       FROM generate_series(1, ${ORDERS}) AS i`,
      [app, member],
    );
    await db.query(
      `INSERT INTO "SplitDetail" (id, "orderId", "applicationId", "fromMemberId", kind, "amountFen", status, "createdAt")
       SELECT gen_random_uuid(), id, "applicationId", "receiverMemberId", 'COMMISSION', 1 + "amountFen" / 100, 'SUCCESS', "createdAt" FROM "Order"
       WHERE "applicationId" = $1 AND type = 'CONSUMPTION' AND "orderNo" LIKE 'DC%'`,
      [app],
    );
    await db.query('ANALYZE');

    // 1. The refresh, as the scheduled workflow's activity runs it.
    const prisma = createPrisma(system.db.url, 2);
    const refresh = createTradeStatActivities({ prisma, clock: systemClock() }).refreshTradeStats;
    await refresh({}); // warm-up
    const r0 = performance.now();
    const refreshed = await refresh({});
    const refreshSeconds = (performance.now() - r0) / 1000;
    await prisma.$disconnect();

    const platform = await apiClient(system.base, '1001001', 'Demo@2026');
    const today = businessDay(new Date());
    const from = businessDay(new Date(Date.now() - 89 * 86_400_000));
    await platform('GET', '/api/application-centre/overview');
    const overviewMs = await timed(100, () => platform('GET', '/api/application-centre/overview'));
    const trendsMs = await timed(100, () => platform('GET', `/api/application-centre/trends?from=${from}&to=${today}`));

    // 2. Signed open-API requests, one after another.
    const keys = sm2.generateKeyPairHex();
    await platform('PUT', '/api/application-centre/certificates/public-key', { publicKey: keys.publicKey });
    // Requests signed beforehand (the client's cost, timed apart), then sent one after another (the platform's cost).
    const sign = () => signRequest({ appNo: '1001001', privateKey: keys.privateKey, method: 'GET', path: '/openapi/v1/application' });
    const send = async (signed: ReturnType<typeof sign>) => {
      // A kept-alive connection the server closed while we were signing fails before sending: send again.
      const go = () => fetch(`${system.base}/openapi/v1/application`, { headers: signed.headers });
      const res = await go().catch(go);
      if (res.status !== 200) throw new Error(`open API ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    };
    for (let i = 0; i < 20; i++) await send(sign());
    const c0 = performance.now();
    const requests = Array.from({ length: SIGNED_REQUESTS }, sign);
    const clientSignPerSecond = SIGNED_REQUESTS / ((performance.now() - c0) / 1000);
    let next = 0;
    const s0 = performance.now();
    const signedMs = await timed(SIGNED_REQUESTS, () => send(requests[next++]!));
    const signedSeconds = (performance.now() - s0) / 1000;
    const message = 'GET\n/openapi/v1/application\n1790000000000\nnonce-0123456789\n' + '0'.repeat(64);
    const signature = sm2.doSignature(message, keys.privateKey, { hash: true });
    const v0 = performance.now();
    for (let i = 0; i < 200; i++) sm2Verify(message, signature, keys.publicKey);
    const verifyPerSecond = 200 / ((performance.now() - v0) / 1000);
    await db.end();

    writeResult('application-centre.txt', [
      `application centre (API, worker and PostgreSQL on this machine)`,
      `  数据概览 refresh over ${ORDERS} orders in the 90-day window (+ their commission splits): ${refreshSeconds.toFixed(2)} s, ${refreshed.rows} figure rows (runs every 5 minutes)`,
      `  GET overview: p50 ${percentile(overviewMs, 50).toFixed(1)} ms, p95 ${percentile(overviewMs, 95).toFixed(1)} ms; GET trends (90 days, 5 types): p50 ${percentile(trendsMs, 50).toFixed(1)} ms, p95 ${percentile(trendsMs, 95).toFixed(1)} ms`,
      `  signed open-API requests, sequential: ${(SIGNED_REQUESTS / signedSeconds).toFixed(0)} req/s, p50 ${percentile(signedMs, 50).toFixed(1)} ms, p95 ${percentile(signedMs, 95).toFixed(1)} ms (API verifies, checks the nonce, signs the answer)`,
      `  the client example (sm-crypto) signs ${clientSignPerSecond.toFixed(0)} requests/s`,
      `  bare SM2 verifications (lib/business/openapi-signing, sm-crypto-v2) in one process: ${verifyPerSecond.toFixed(0)}/s`,
    ]);
  } finally {
    await system.stop();
  }
}

main().catch((err) => {
  console.error('[bench] failed:', err);
  process.exit(1);
});
