import { systemClock } from '../../lib/adapters/clock';
import { startInfra } from './infra';

/** Starts the real components once for all API and browser tests; their addresses go to the test workers by env. */
export default async function globalSetup(): Promise<void> {
  // Under TEST_NOW this anchors the shifted clock before any process is started, so the test
  // workers and the Temporal worker all read the same instant.
  systemClock();
  const infra = await startInfra();
  (globalThis as { __INFRA__?: unknown }).__INFRA__ = infra;
  process.env.TEST_CONFIG = JSON.stringify(infra.config);
}
