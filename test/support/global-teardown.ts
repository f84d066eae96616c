import type { TestInfra } from './infra';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __INFRA__?: TestInfra }).__INFRA__?.stop();
}
