/**
 * Publishes one monthly statement, as the worker's activity does, in its own
 * process so the benchmark can read this process's peak RSS:
 * `tsx bench/publish-statement.ts <applicationId> <YYYY-MM>` (DATABASE_URL from the environment).
 */
import fs from 'node:fs';
import { createPrisma } from '../lib/adapters/db';
import { publishStatement } from '../lib/formats/statements';

async function main() {
  const [applicationId, month] = process.argv.slice(2);
  const prisma = createPrisma(process.env.DATABASE_URL!, 2);
  const started = performance.now();
  const published = await publishStatement(prisma, applicationId!, { kind: 'MONTH', key: month! });
  const seconds = (performance.now() - started) / 1000;
  const peak = Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN) / 1024;
  console.log(JSON.stringify({ rows: published.rowCount, seconds, peakMb: Math.round(peak) }));
  await prisma.$disconnect();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
