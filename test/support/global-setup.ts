import { startInfra } from './infra';

/** Starts the real components once for all API and browser tests; their addresses go to the test workers by env. */
export default async function globalSetup(): Promise<void> {
  const infra = await startInfra();
  (globalThis as { __INFRA__?: unknown }).__INFRA__ = infra;
  process.env.TEST_CONFIG = JSON.stringify(infra.config);
}
