/**
 * Signed order creation through the open API (POST /openapi/v1/orders), against the system as in
 * production (compiled API and worker, embedded PostgreSQL, Temporal dev server):
 *   1. throughput: 50 closed-loop clients, each sending requests signed beforehand (outside the
 *      timed loop), 转账 between its own two members (decided and booked in the request, no flow);
 *   2. latency: open loop at 50 orders/s (p50 / p99);
 * printed beside the limit it is measured against: the bare SM2 verify + sign rate of one process
 * on this machine (the API verifies each request and signs each answer), and, at the end, the ledger
 * invariant check over the application's accounts (0 violations expected).
 *
 *   BENCH_SECONDS=10 npx tsx bench/openapi-orders.ts
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sm2 } from 'sm-crypto-v2';
import { bodyDigest, requestSigningString, sm2Sign, sm2Verify } from '../lib/business/openapi-signing';
import { openMemberAccounts } from '../lib/business/accounts';
import { markProcessing, placeOrder, settleOrder } from '../lib/business/orders';
import { apiClient, startBenchSystem, writeResult } from './system';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CLIENTS = 50;
const OPEN_LOOP_RATE = 50;

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

interface Signed {
  headers: Record<string, string>;
  body: string;
}

function signed(appNo: string, privateKey: string, publicKey: string, body: unknown): Signed {
  const text = JSON.stringify(body);
  const timestamp = String(Date.now());
  const nonce = randomBytes(16).toString('hex');
  const signature = sm2Sign(requestSigningString('POST', '/openapi/v1/orders', timestamp, nonce, Buffer.from(text)), privateKey, publicKey);
  return {
    body: text,
    headers: { 'content-type': 'application/json', 'x-yst-appno': appNo, 'x-yst-timestamp': timestamp, 'x-yst-nonce': nonce, 'x-yst-signature': signature },
  };
}

/** The bare limit: one SM2 verification and one signature (what the API does per request), one process, for `ms`. */
function bareVerifyAndSign(ms: number): number {
  const keys = sm2.generateKeyPairHex();
  const message = requestSigningString('POST', '/openapi/v1/orders', '1790000000000', 'nonce-0123456789abcdef', Buffer.from('{"kind":"TRANSFER"}'));
  const signature = sm2Sign(message, keys.privateKey, keys.publicKey);
  const answer = `1790000000000\nnonce-0123456789abcdef\n${bodyDigest(Buffer.from('{"orderNo":"YST"}'))}`;
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    if (!sm2Verify(message, signature, keys.publicKey)) throw new Error('bare verification failed');
    sm2Sign(answer, keys.privateKey, keys.publicKey);
    n++;
  }
  return n / ((performance.now() - t0) / 1000);
}

async function main() {
  const system = await startBenchSystem('openapi-orders');
  const sql = new pg.Pool({ connectionString: system.db.url, max: 4 });
  sql.on('error', () => undefined);
  try {
    const { rows } = await sql.query<{ id: string }>(`SELECT id FROM "Application" WHERE "appNo" = '1001001'`);
    const applicationId = rows[0]!.id;
    const platform = await apiClient(system.base, '1001001', 'Demo@2026');
    const keys = sm2.generateKeyPairHex();
    await platform('PUT', '/api/application-centre/certificates/public-key', { publicKey: keys.publicKey });

    // Two members per client, the payer funded by a 充值 decided the way the channel decides it (placeOrder, then settleOrder).
    console.log(`[bench] ${CLIENTS * 2} members, each payer funded through the order services`);
    const pairs: { payer: string; receiver: string }[] = [];
    for (let c = 0; c < CLIENTS; c++) {
      const ids: string[] = [];
      for (const role of ['P', 'R']) {
        const bizUserId = `BENCH-OA-${role}${c}`;
        const { rows: m } = await sql.query<{ id: string }>(
          `INSERT INTO "Member" (id, "applicationId", "bizUserId", type, status, "displayName", "updatedAt")
           VALUES (gen_random_uuid(), $1, $2, 'INDIVIDUAL', 'NORMAL', '压测会员', now()) RETURNING id`,
          [applicationId, bizUserId],
        );
        await openMemberAccounts(sql, { applicationId, memberId: m[0]!.id, kinds: ['BOOKKEEPING', 'PAYMENT', 'PENDING_SETTLEMENT'], agreementId: null });
        ids.push(m[0]!.id);
      }
      const topUp = await placeOrder(
        sql,
        applicationId,
        { kind: 'TOP_UP', bizOrderNo: `BENCH-OA-FUND-${c}`, amountFen: 100_000_000, receiverMemberId: ids[0]!, paymentMethod: 'QUICK_PAY' },
        new Date(),
        () => null,
      );
      await markProcessing(sql, topUp.order.id, { channelSerial: `BENCHCH${c}` }, `REQBENCH${c}`);
      await settleOrder(sql, topUp.order.id, { status: 'SUCCESS', backendSerial: `BENCHBK${c}` }, new Date());
      pairs.push({ payer: `BENCH-OA-P${c}`, receiver: `BENCH-OA-R${c}` });
    }

    // Requests signed beforehand: enough for the closed loop at a generous rate, and for the open loop.
    let seq = 0;
    const transfer = (c: number) => {
      const p = pairs[c]!;
      return signed('1001001', keys.privateKey, keys.publicKey, {
        kind: 'TRANSFER',
        bizOrderNo: `BENCH-OA-${++seq}`,
        amount: '0.01',
        receiver: p.receiver,
        payer: p.payer,
      });
    };
    const perClient = Math.ceil((SECONDS + 5) * 30);
    console.log(`[bench] signing ${perClient * CLIENTS + OPEN_LOOP_RATE * SECONDS} requests outside the timed loops`);
    const queues = Array.from({ length: CLIENTS }, (_, c) => Array.from({ length: perClient }, () => transfer(c)));
    const openLoop = Array.from({ length: OPEN_LOOP_RATE * SECONDS }, (_, i) => transfer(i % CLIENTS));

    const send = async (s: Signed) => {
      const go = () => fetch(`${system.base}/openapi/v1/orders`, { method: 'POST', headers: s.headers, body: s.body });
      const res = await go().catch(go);
      const text = await res.text();
      if (res.status !== 201) throw new Error(`order ${res.status}: ${text}`);
    };
    for (let i = 0; i < 20; i++) await send(queues[i % CLIENTS]!.pop()!); // warm-up

    // 1. Closed loop.
    let done = 0;
    const closedMs: number[] = [];
    const until = performance.now() + SECONDS * 1000;
    const t0 = performance.now();
    await Promise.all(
      queues.map(async (queue) => {
        while (performance.now() < until && queue.length) {
          const s = queue.pop()!;
          const started = performance.now();
          await send(s);
          closedMs.push(performance.now() - started);
          done++;
        }
      }),
    );
    const throughput = done / ((performance.now() - t0) / 1000);

    // 2. Open loop: one request every 1/50 s, whatever the answers.
    const openMs: number[] = [];
    const inFlight: Promise<void>[] = [];
    const o0 = performance.now();
    for (let i = 0; i < openLoop.length; i++) {
      const due = o0 + (i * 1000) / OPEN_LOOP_RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const s = openLoop[i]!;
      inFlight.push(
        (async () => {
          const started = performance.now();
          await send(s);
          openMs.push(performance.now() - started);
        })(),
      );
    }
    await Promise.all(inFlight);

    // The limit, measured now on the same machine (the API idle).
    const bare = bareVerifyAndSign(5000);

    // The ledger invariant over the application's accounts.
    const { rows: v } = await sql.query<{ unbalanced: number; wrongBalance: number; negative: number }>(
      `SELECT (SELECT count(*)::int FROM (SELECT m."orderId" FROM "Movement" m JOIN "Account" a ON a.id = m."accountId" WHERE a."applicationId" = $1
                 GROUP BY m."orderId" HAVING sum(m."amountFen") <> 0) x) AS unbalanced,
              (SELECT count(*)::int FROM "Account" a WHERE a."applicationId" = $1
                 AND a."balanceFen" <> (SELECT coalesce(sum(m."amountFen"), 0) FROM "Movement" m WHERE m."accountId" = a.id)) AS "wrongBalance",
              (SELECT count(*)::int FROM "Account" a WHERE a."applicationId" = $1 AND a."memberId" IS NOT NULL AND a."balanceFen" < 0) AS negative`,
      [applicationId],
    );
    const violations = v[0]!.unbalanced + v[0]!.wrongBalance + v[0]!.negative;

    writeResult('openapi-orders.txt', [
      `signed order creation, POST /openapi/v1/orders (转账, booked in the request; compiled API and worker, PostgreSQL on this machine)`,
      `  closed loop, ${CLIENTS} clients, ${SECONDS} s: ${throughput.toFixed(0)} orders/s (p50 ${percentile(closedMs, 50).toFixed(1)} ms, p99 ${percentile(closedMs, 99).toFixed(1)} ms)`,
      `  bare SM2 verify + sign in one process (the API's signature work per request): ${bare.toFixed(0)}/s → ${((100 * throughput) / bare).toFixed(0)} % of it (target ≥ 60 %)`,
      `  open loop at ${OPEN_LOOP_RATE} orders/s, ${openMs.length} orders: p50 ${percentile(openMs, 50).toFixed(1)} ms, p99 ${percentile(openMs, 99).toFixed(1)} ms (target p99 < 100 ms)`,
      `  ledger invariant over the application's accounts: ${violations} violations (unbalanced orders ${v[0]!.unbalanced}, balance ≠ movements ${v[0]!.wrongBalance}, negative member balances ${v[0]!.negative})`,
    ]);
  } finally {
    await sql.end();
    await system.stop();
  }
}

main().catch((err) => {
  console.error('[bench] failed:', err);
  process.exit(1);
});
