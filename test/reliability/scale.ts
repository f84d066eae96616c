/**
 * Sizes of the reliability suite. `npm test` (and CI) run it reduced;
 * `npm run test:reliability` sets RELIABILITY_SCALE=full for the sizes of the issue.
 */
const full = process.env.RELIABILITY_SCALE === 'full';

export const SCALE = {
  full,
  /** R1: flows in flight and worker kills. */
  onboardings: full ? 120 : 24,
  signingBatches: full ? 40 : 8,
  membersPerBatch: 5,
  imports: full ? 40 : 8,
  rowsPerImport: full ? 50 : 20,
  kills: full ? 5 : 3,
  /** R2: flows in flight while Temporal and Postgres restart. */
  restartOnboardings: full ? 40 : 12,
  /** R3: malformed bodies in all. */
  malformedBodies: full ? 1000 : 300,
};

/** A line the suite's figures are read from (printed at the end of each test). */
export function figure(name: string, values: Record<string, number | string>): void {
  console.log(
    `[reliability] ${name}: ${Object.entries(values)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
  );
}
