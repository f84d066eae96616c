/**
 * Export and statement benchmark:
 * 1. a 10,000-row movement export to XLSX through the API, against the bare
 *    exceljs streaming writer writing the same rows in the same run (target ≤ 1.3×);
 * 2. a monthly statement over 1,000,000 orders: publishing it (as the worker
 *    does, in its own process) and downloading it through the API — rows/s and
 *    peak RSS (target: flat memory, ≤ 200 MB).
 *
 *   BENCH_STATEMENT_ORDERS=200000 npx tsx bench/statements.ts
 */
import { execFileSync } from 'node:child_process';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { ROOT } from '../lib/dev-stack/local-stack';
import { apiClient, benchApplicationAndMember, peakRssMb, startBenchSystem, writeResult } from './system';

const ORDERS = Number(process.env.BENCH_STATEMENT_ORDERS ?? 1_000_000);
const MOVEMENTS = 10_000;
const MONTH = '2026-10';

/** A sink that counts bytes: what is measured is producing the file, not storing it. */
function sink() {
  let bytes = 0;
  const stream = new Writable({
    write(chunk, _enc, cb) {
      bytes += chunk.length;
      cb();
    },
  });
  return { stream, bytes: () => bytes };
}

async function main() {
  const system = await startBenchSystem('statements');
  try {
    const db = new pg.Client({ connectionString: system.db.url });
    await db.connect();
    const { app, member } = await benchApplicationAndMember(db, 'BENCH-M');
    const account = (
      await db.query(
        `INSERT INTO "Account" (id, "applicationId", "memberId", kind, "accountNo") VALUES (gen_random_uuid(), $1, $2, 'PAYMENT', 'BENCH0001') RETURNING id`,
        [app, member],
      )
    ).rows[0].id as string;
    console.log(`[bench] generating ${MOVEMENTS} movements and ${ORDERS} orders`);
    // Movements of yesterday (Shanghai) with their orders; orders of the month for the statement.
    await db.query(
      `WITH o AS (
         INSERT INTO "Order" (id, "applicationId", "orderNo", "bizOrderNo", type, status, "receiverMemberId", "amountFen", "paymentMethod", "channelType", "cardType", "createdAt")
         SELECT gen_random_uuid(), $1, 'MV' || i, 'BIZMV' || i, 'CONSUMPTION', 'SUCCESS', $2, 100 + i, 'QUICK_PAY', 'ONLINE', 'DEBIT',
                date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai' - interval '1 day' + (i || ' seconds')::interval
         FROM generate_series(1, ${MOVEMENTS}) AS i RETURNING id, "amountFen", "createdAt")
       INSERT INTO "Movement" (id, "accountId", "orderId", "amountFen", "balanceAfterFen", "bookedAt", "businessDay")
       SELECT gen_random_uuid(), $3, o.id, o."amountFen", o."amountFen", o."createdAt", to_char(o."createdAt" AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') FROM o`,
      [app, member, account],
    );
    await db.query(
      `INSERT INTO "Order" (id, "applicationId", "orderNo", "bizOrderNo", type, status, "receiverMemberId", "amountFen", "feeFen", "paymentMethod", "channelType", "cardType", "requestSerial", "createdAt")
       SELECT gen_random_uuid(), $1, 'ST' || i, 'BIZST' || i, (ARRAY['CONSUMPTION','TOP_UP','WITHDRAWAL','GUARANTEED_PAYMENT'])[1 + i % 4], 'SUCCESS', $2, 100 + i % 100000, i % 50,
              (ARRAY['QUICK_PAY','WECHAT','ALIPAY','GATEWAY'])[1 + i % 4], 'ONLINE', 'DEBIT', 'REQ' || i,
              timestamptz '2026-10-01 00:00:00+08' + ((i * 2.6784)::int || ' seconds')::interval
       FROM generate_series(1, ${ORDERS}) AS i`,
      [app, member],
    );
    await db.query('ANALYZE');

    // 1. Export through the API versus the bare writer with the same rows.
    const platform = await apiClient(system.base, '1001001', 'Demo@2026');
    const yesterday = new Date(Date.now() + 8 * 3600 * 1000 - 86_400_000).toISOString().slice(0, 10);
    const exportUrl = `/api/accounts/${account}/movements/export?from=${yesterday}&to=${yesterday}`;
    console.log('[bench] movement export');
    await platform('GET', exportUrl); // warm-up: both sides are measured warm
    const e0 = performance.now();
    const file: Buffer = await platform('GET', exportUrl);
    const exportSeconds = (performance.now() - e0) / 1000;
    const rows = (
      await db.query(
        `SELECT m."bookedAt", o."orderNo", o."bizOrderNo", m."amountFen", m."balanceAfterFen" FROM "Movement" m JOIN "Order" o ON o.id = m."orderId" WHERE m."accountId" = $1 ORDER BY m."bookedAt"`,
        [account],
      )
    ).rows;
    const bare = async () => {
      const out = sink();
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out.stream, useStyles: false, useSharedStrings: false });
      const sheet = wb.addWorksheet('账户明细');
      sheet.addRow(['交易时间', '云商通订单号', '商户订单号', '订单类型', '收支方向', '发生额(元)', '余额(元)']).commit();
      for (const r of rows)
        sheet.addRow([String(r.bookedAt.toISOString()), r.orderNo, r.bizOrderNo, '消费-消费', '收入', String(r.amountFen), String(r.balanceAfterFen)]).commit();
      sheet.commit();
      await wb.commit();
    };
    await bare(); // warm-up
    const b0 = performance.now();
    await bare();
    const bareSeconds = (performance.now() - b0) / 1000;

    // 2. The monthly statement: publish (worker side, own process), then download (API).
    await db.query(
      `INSERT INTO "StatementEnablement" (id, "applicationId", reason, status, "appliedMonth", "requestedById", "workflowId") VALUES (gen_random_uuid(), $1, 'bench', 'ENABLED', $2, gen_random_uuid(), 'bench-' || gen_random_uuid())`,
      [app, MONTH],
    );
    await db.end();
    console.log('[bench] publishing the monthly statement');
    const published = JSON.parse(
      execFileSync(process.execPath, ['--import', 'tsx', 'bench/publish-statement.ts', app, MONTH], { cwd: ROOT, env: { ...system.env }, encoding: 'utf8' })
        .trim()
        .split('\n')
        .pop()!,
    ) as { rows: number; seconds: number; peakMb: number };
    console.log('[bench] downloading the monthly statement');
    const apiBefore = peakRssMb(system.pids.api);
    const d0 = performance.now();
    const statement: Buffer = await platform('GET', `/api/statements/monthly/${MONTH}`);
    const downloadSeconds = (performance.now() - d0) / 1000;

    writeResult('statements.txt', [
      `exports and statements (API, worker and PostgreSQL on this machine)`,
      `  movement export, ${rows.length} rows → XLSX via the API: ${exportSeconds.toFixed(2)} s (${file.length} bytes); bare exceljs streaming writer, same rows: ${bareSeconds.toFixed(2)} s → ratio ${(exportSeconds / bareSeconds).toFixed(2)}×`,
      `  monthly statement over ${published.rows} orders:`,
      `    publish (rows read, hashed, versioned; own process): ${published.seconds.toFixed(1)} s, ${(published.rows / published.seconds).toFixed(0)} rows/s, peak RSS ${published.peakMb} MB`,
      `    download as XLSX through the API: ${downloadSeconds.toFixed(1)} s, ${(published.rows / downloadSeconds).toFixed(0)} rows/s, ${(statement.length / 1024 / 1024).toFixed(1)} MB; API peak RSS ${apiBefore} MB before, ${peakRssMb(system.pids.api)} MB after`,
    ]);
  } finally {
    await system.stop();
  }
}

main().catch((err) => {
  console.error('[bench] failed:', err);
  process.exit(1);
});
