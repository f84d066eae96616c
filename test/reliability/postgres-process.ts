/**
 * Embedded PostgreSQL in a process of its own (`node --import tsx … <dataDir> <port>`),
 * so a test can stop and restart it: jest cannot load the ESM-only package itself.
 * Prints `READY <url>`; SIGTERM stops the server cleanly and exits.
 */
import { startEmbeddedPostgres } from '../../lib/dev-stack/embedded-postgres';

async function main() {
  const [dataDir, port] = process.argv.slice(2);
  const db = await startEmbeddedPostgres({ dataDir: dataDir!, port: Number(port), database: 'reliability', persistent: true });
  const stop = () => void db.stop().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  console.log(`READY ${db.url}`);
}

main().catch((err) => {
  console.error('[postgres-process]', err);
  process.exit(1);
});
