/**
 * Batch signing benchmark: the platform sends signing links to N members
 * (default 10,000) in one batch, through the API, the batch workflow and the
 * real twilio client to the dev outbox. Prints wall time, links (= SMS) per
 * second end to end, and the largest history of the batch workflow's runs.
 *
 *   npm run bench                         (both benchmarks)
 *   BENCH_LINKS=2000 npx tsx bench/signing-batch.ts
 */
import { Connection, Client } from '@temporalio/client';
import { maskPhone } from '../domain/masking';
import { createPrisma } from '../lib/adapters/db';
import { FieldCrypto } from '../lib/adapters/field-crypto';
import { apiClient, startBenchSystem, writeResult } from './system';

const LINKS = Number(process.env.BENCH_LINKS ?? 10_000);

async function main() {
  const system = await startBenchSystem('signing');
  try {
    const prisma = createPrisma(system.db.url, 4);
    const crypto = new FieldCrypto(system.env.DATA_ENCRYPTION_KEY!, system.env.SESSION_SECRET!);
    const app = await prisma.application.findUniqueOrThrow({ where: { appNo: '1001001' } });
    for (let i = 0; i < LINKS; i += 1000) {
      await prisma.member.createMany({
        data: Array.from({ length: Math.min(1000, LINKS - i) }, (_, k) => {
          const phone = `136${String(i + k).padStart(8, '0')}`;
          return {
            applicationId: app.id,
            bizUserId: `S${i + k}`,
            type: 'INDIVIDUAL' as const,
            status: 'NORMAL' as const,
            displayName: '压测商户',
            boundPhoneEnc: crypto.encrypt(phone),
            boundPhoneMasked: maskPhone(phone),
            boundPhoneDigest: crypto.digest('phone', phone),
          };
        }),
      });
    }
    await prisma.$disconnect();

    const call = await apiClient(system.base, '1001001', 'Demo@2026');

    console.log(`[bench] sending signing links to ${LINKS} members`);
    const started = performance.now();
    const batch = await call('POST', '/api/acquiring/signing-batches', { allFiltered: {} });
    const accepted = performance.now() - started;
    let status = batch;
    while (status.status !== 'COMPLETED') {
      await new Promise((r) => setTimeout(r, 100));
      status = await call('GET', `/api/acquiring/signing-batches/${batch.id}`);
    }
    const wall = (performance.now() - started) / 1000;
    const sms = system.outbox.messages().filter((m) => m.channel === 'sms').length;

    const client = new Client({ connection: await Connection.connect({ address: system.temporalAddress }) });
    let runs = 0;
    let largest = 0;
    for await (const run of client.workflow.list({ query: `WorkflowId = '${batch.workflowId}'` })) {
      runs++;
      const described = await client.workflow.getHandle(run.workflowId, run.runId).describe();
      largest = Math.max(largest, described.historyLength);
    }
    await client.connection.close();

    writeResult('signing-batch.txt', [
      `batch signing links: ${LINKS} members, one batch (API, worker and Temporal dev server on this machine)`,
      `  wall time:                 ${wall.toFixed(1)} s (request accepted in ${accepted.toFixed(0)} ms)`,
      `  links/s (= SMS/s):         ${(status.sent / wall).toFixed(0)}  (${status.sent} sent, ${status.skipped} skipped, ${sms} SMS in the outbox)`,
      `  workflow runs / largest history: ${runs} / ${largest} events`,
    ]);
  } finally {
    await system.stop();
  }
}

main().catch((err) => {
  console.error('[bench] failed:', err);
  process.exit(1);
});
