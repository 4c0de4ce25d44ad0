// Shared Jest settings of the e2e projects (apps/<name>-e2e): a real broker and a run folder from
// libs/testing's global setup, one test file at a time (they start processes and share the broker).
module.exports = {
  preset: '../../jest.preset.js',
  testMatch: ['<rootDir>/src/**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/../../libs/testing/src/e2e-global-setup.ts',
  globalTeardown: '<rootDir>/../../libs/testing/src/e2e-global-teardown.ts',
  testTimeout: 120_000,
  maxWorkers: 1,
  verbose: true,
};
